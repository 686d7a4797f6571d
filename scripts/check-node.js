// Loaded before parley's TypeScript entry points (`node --import ./scripts/check-node.js …`), in plain JavaScript so
// any Node.js can run it: one that cannot strip types would otherwise crash on the ".ts" extension of the entry.
if (!process.features?.typescript) {
  process.stderr.write(
    `parley needs Node.js 22.18 or newer, 24 recommended (this is ${process.version}): run it with \`npm start\` ` +
      "after `npm ci`, which brings Node.js 24, or install Node.js 24.\n",
  );
  process.exit(1);
}
