// How Orpheus's scripts and tests start the system Chromium (Debian's, at /usr/bin/chromium).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Options for playwright-core's chromium.launch / launchPersistentContext. */
export function launchOptions() {
  return { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS };
}

/** Runs apt-get (through sudo unless root) to install Debian packages. */
export function aptInstall(packages) {
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const run = (args) => {
    const cmd = [...sudo, ...args];
    const r = spawnSync(cmd[0], cmd.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed (exit ${r.status})`);
  };
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '--no-install-recommends', ...packages]);
}

/** Installs Debian's chromium when it is missing (as root, on Debian). Never downloads a browser build. */
export function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  console.log(`${CHROMIUM} is missing: installing Debian's chromium with apt-get…`);
  aptInstall(['chromium', 'fonts-liberation']);
  if (!existsSync(CHROMIUM))
    throw new Error(`apt-get installed chromium, but ${CHROMIUM} is still missing`);
}

/** Installs Debian's python3-onnx (the ONNX checker the export tests run) when it is missing. */
export function ensureOnnxChecker() {
  const probe = () => spawnSync('/usr/bin/python3', ['-c', 'import onnx']).status === 0;
  if (probe()) return;
  console.log('python3-onnx is missing: installing it with apt-get…');
  aptInstall(['python3-onnx']);
  if (!probe())
    throw new Error('apt-get installed python3-onnx, but /usr/bin/python3 cannot import onnx');
}

/**
 * Installs Debian's python3-optuna and python3-sklearn (the Optuna hand-off tests run the
 * exported search with them) when either is missing.
 */
export function ensureOptuna() {
  const probe = () => spawnSync('/usr/bin/python3', ['-c', 'import optuna, sklearn']).status === 0;
  if (probe()) return;
  console.log('python3-optuna or python3-sklearn is missing: installing them with apt-get…');
  aptInstall(['python3-optuna', 'python3-sklearn']);
  if (!probe())
    throw new Error(
      'apt-get installed python3-optuna and python3-sklearn, but /usr/bin/python3 cannot import them',
    );
}
