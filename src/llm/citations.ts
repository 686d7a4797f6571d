// Collects an answer's sources from OpenAI-style annotations and Perplexity-style citations, numbered once each.
import type { Citation } from "../types.ts";

/** Accumulates citations in order of first appearance, deduplicated by URL. */
export class CitationCollector {
  private readonly byUrl = new Map<string, Citation>();

  /** Adds `choices[].message.annotations` (url_citation), from a message or a delta. */
  addAnnotations(annotations: unknown): void {
    if (!Array.isArray(annotations)) return;
    for (const annotation of annotations) {
      if (!isRecord(annotation) || annotation.type !== "url_citation" || !isRecord(annotation.url_citation))
        continue;
      const { url, title } = annotation.url_citation;
      if (typeof url === "string") this.add(url, typeof title === "string" ? title : undefined);
    }
  }

  /** Adds the top-level `citations` (URLs) and `search_results` ([{title, url}]) of Perplexity-style models.
   *  `citations` come first: the answer's [1], [2] markers count in their order; results add titles. */
  addTopLevel(body: unknown): void {
    if (!isRecord(body)) return;
    if (Array.isArray(body.citations)) {
      for (const url of body.citations) if (typeof url === "string") this.add(url);
    }
    if (Array.isArray(body.search_results)) {
      for (const result of body.search_results) {
        if (isRecord(result) && typeof result.url === "string") {
          this.add(result.url, typeof result.title === "string" ? result.title : undefined);
        }
      }
    }
  }

  /** The citations gathered so far. */
  list(): Citation[] {
    return [...this.byUrl.values()];
  }

  private add(url: string, title?: string): void {
    if (!/^https?:\/\//i.test(url)) return;
    const known = this.byUrl.get(url);
    if (known) {
      if (!known.title && title) known.title = title;
      return;
    }
    this.byUrl.set(url, title ? { url, title } : { url });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
