// Runs `npm ci` in this directory unless node_modules already matches package-lock.json.
// npm writes node_modules/.package-lock.json after every install; when its package entries
// equal the lockfile's, the installed tree is current and the (slow) reinstall is skipped.
import { readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const packages = (file) => JSON.parse(readFileSync(file, 'utf8')).packages || {};
const wanted = packages(join(here, 'package-lock.json'));
const installedFile = join(here, 'node_modules', '.package-lock.json');
// The hidden lockfile lists only what was installed: every entry of the lockfile must be there
// with the same version and integrity, except optional ones (other platforms' Anvil binaries).
let current = existsSync(installedFile);
if (current) {
  const installed = packages(installedFile);
  for (const [path, entry] of Object.entries(wanted)) {
    if (path === '') continue;
    const have = installed[path];
    if (!have) {
      if (entry.optional) continue; // another platform's binary
      current = false;
      break;
    }
    if (have.version !== entry.version || have.integrity !== entry.integrity) {
      current = false;
      break;
    }
  }
}
if (current) {
  console.log('tools/chain: node_modules is current');
} else {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit' });
}
