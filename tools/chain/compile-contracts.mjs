// Compiles every *.sol file of a directory with the pinned solc-js (optimizer on) and writes
// <Contract>.abi and <Contract>.bin for each contract into an output directory.
// Usage: node compile-contracts.mjs <source-dir> <output-dir> [expected-solc-version]
// Called by the contracts module's build; exits non-zero with solc's messages on any error.
import { createRequire } from 'node:module';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, basename } from 'node:path';

const require = createRequire(import.meta.url);
const solc = require('solc');

const [sourceDir, outputDir, expectedVersion] = process.argv.slice(2);
if (!sourceDir || !outputDir) {
  console.error('usage: node compile-contracts.mjs <source-dir> <output-dir>');
  process.exit(2);
}

// The root pom names the solc version (solc.npm.version); package-lock.json pins it. They must agree.
if (expectedVersion && !solc.version().startsWith(expectedVersion + '+')) {
  console.error(`solc ${solc.version()} is installed, but solc.npm.version is ${expectedVersion}: ` +
    'update tools/chain/package.json and package-lock.json, or the root pom');
  process.exit(1);
}

const sources = {};
for (const file of readdirSync(sourceDir).filter((f) => f.endsWith('.sol')).sort()) {
  sources[file] = { content: readFileSync(join(sourceDir, file), 'utf8') };
}
if (Object.keys(sources).length === 0) {
  console.error(`no .sol files in ${sourceDir}`);
  process.exit(1);
}

const input = {
  language: 'Solidity',
  sources,
  settings: {
    // Cancun: supported by every chain we target (Anvil, Besu, Geth, the common L2s).
    evmVersion: 'cancun',
    optimizer: { enabled: true, runs: 10000 },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};

const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
for (const message of output.errors || []) {
  console.error(message.formattedMessage);
}
if (errors.length > 0) {
  process.exit(1);
}

mkdirSync(outputDir, { recursive: true });
for (const [file, contracts] of Object.entries(output.contracts)) {
  for (const [name, artifact] of Object.entries(contracts)) {
    if (!artifact.evm.bytecode.object) {
      continue; // interfaces and abstract contracts have no bytecode
    }
    writeFileSync(join(outputDir, `${name}.abi`), JSON.stringify(artifact.abi));
    writeFileSync(join(outputDir, `${name}.bin`), artifact.evm.bytecode.object);
    console.log(`solc ${solc.version()}: ${basename(file)} -> ${name}`);
  }
}
