import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { packageDir } from './paths';

/** The Kubernetes release the Go module builds; /version reports it because of the ldflags below. */
export const KUBERNETES_VERSION = 'v1.36.3';

export const apiServerBinary = path.join(packageDir, 'bin/testenv-apiserver');

// A plain `go build` of k8s.io/kubernetes reports v0.0.0-master in /version;
// the release build stamps these variables, so do we. This file is one of the
// build inputs below, so changing a flag here triggers a rebuild.
const [major, minor] = KUBERNETES_VERSION.slice(1).split('.');
const LDFLAGS = [
  '-s',
  '-w',
  `-X k8s.io/component-base/version.gitVersion=${KUBERNETES_VERSION}`,
  `-X k8s.io/component-base/version.gitMajor=${major}`,
  `-X k8s.io/component-base/version.gitMinor=${minor}`,
  '-X k8s.io/component-base/version.gitTreeState=clean',
].join(' ');

const BUILD_INPUTS = ['main.go', 'go.mod', 'go.sum', 'src/build.ts'].map(f =>
  path.join(packageDir, f),
);

export interface BuildResult {
  binary: string;
  /** false when the binary was already newer than every build input */
  built: boolean;
  ms: number;
}

function isUpToDate(): boolean {
  let binaryTime: number;
  try {
    binaryTime = fs.statSync(apiServerBinary).mtimeMs;
  } catch {
    return false;
  }
  return BUILD_INPUTS.every(f => fs.statSync(f).mtimeMs <= binaryTime);
}

/**
 * Builds tools/testenv/bin/testenv-apiserver with the local Go toolchain.
 * Skips Go entirely when the binary is newer than its inputs; otherwise Go's
 * own build cache (GOCACHE, GOMODCACHE in their default places) keeps a rebuild
 * to seconds after the first one.
 */
let inFlight: Promise<BuildResult> | undefined;

export async function buildApiServer(
  options: { force?: boolean; log?: (line: string) => void } = {},
): Promise<BuildResult> {
  const started = Date.now();
  if (!options.force && isUpToDate()) {
    return { binary: apiServerBinary, built: false, ms: Date.now() - started };
  }
  // Testenvs started together in one process share one build (same temp file).
  inFlight ??= runGoBuild(started, options.log).finally(() => {
    inFlight = undefined;
  });
  return inFlight;
}

async function runGoBuild(
  started: number,
  log?: (line: string) => void,
): Promise<BuildResult> {
  log?.(
    `building ${path.basename(
      apiServerBinary,
    )} (kube-apiserver ${KUBERNETES_VERSION} + etcd; the first build takes minutes)`,
  );
  // Written under a temporary name and renamed: a testenv starting in another
  // Jest worker never executes a half-written binary.
  const tmp = `${apiServerBinary}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(apiServerBinary), { recursive: true });
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('go', ['build', '-ldflags', LDFLAGS, '-o', tmp, '.'], {
      cwd: packageDir,
      env: {
        ...process.env,
        GOTOOLCHAIN: 'local',
        GOFLAGS: '-mod=mod',
        CGO_ENABLED: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', d => output.push(String(d)));
    child.stderr.on('data', d => output.push(String(d)));
    child.on('error', err =>
      reject(
        new Error(
          `cannot run "go" (is the Go toolchain on PATH?): ${err.message}`,
        ),
      ),
    );
    child.on('close', resolve);
  });
  if (code !== 0) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`go build failed (exit ${code}):\n${output.join('')}`);
  }
  fs.renameSync(tmp, apiServerBinary);
  return { binary: apiServerBinary, built: true, ms: Date.now() - started };
}
