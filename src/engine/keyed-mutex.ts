// Runs tasks that share a key one after another, and tasks with different keys side by side.

/** A lock per key, held only in this process. */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `task` after every earlier task of the same key has settled. */
  async run<Result>(key: string, task: () => Promise<Result>): Promise<Result> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(task, task);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      // Drop the entry once nobody queued behind us, so the map does not grow with every conversation.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Waits for the lock of `key`, returning a release function (for work that yields while holding it). */
  async acquire(key: string): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const hasEntered = new Promise<void>((resolve) => {
      entered = resolve;
    });
    void this.run(key, () => {
      entered();
      return released;
    });
    await hasEntered;
    return release;
  }
}
