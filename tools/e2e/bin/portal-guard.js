#!/usr/bin/env node
/*
 * Runs a command in this process group (the caller spawns us detached, so we
 * lead a fresh group) and takes the whole group down when
 *   - the caller closes our stdin (it exited, even by SIGKILL), or
 *   - we get SIGTERM / SIGINT (the caller's afterAll).
 * The Backstage dev portal forks children (frontend dev server, backend); a
 * group kill is the only way to be sure none of them outlives the tests.
 *
 * usage: portal-guard <command> [args...]
 */
const { spawn } = require('node:child_process');

const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write('usage: portal-guard <command> [args...]\n');
  process.exit(2);
}

const child = spawn(command, args, {
  stdio: ['ignore', 'inherit', 'inherit'],
  env: process.env,
});

let stopping = false;
function stopGroup(reason) {
  if (stopping) {
    return;
  }
  stopping = true;
  process.stderr.write(
    `[portal-guard] ${reason}: stopping process group ${process.pid}\n`,
  );
  try {
    // Everyone in our group but us; we exit once the command is gone.
    process.kill(child.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  const groupKill = signal => {
    try {
      process.kill(-process.pid, signal);
    } catch {
      /* group empty */
    }
  };
  process.on('SIGTERM', () => {});
  groupKill('SIGTERM');
  setTimeout(() => groupKill('SIGKILL'), 10_000).unref();
}

process.stdin.on('end', () => stopGroup('caller went away'));
process.stdin.on('error', () => stopGroup('caller went away'));
process.stdin.resume();
process.on('SIGTERM', () => stopGroup('SIGTERM'));
process.on('SIGINT', () => stopGroup('SIGINT'));

child.on('exit', (code, signal) => {
  process.stderr.write(
    `[portal-guard] command exited (${signal ?? `code ${code}`})\n`,
  );
  // Whatever the command left behind in our group goes too.
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    /* group empty */
  }
  process.exit(code ?? 1);
});
