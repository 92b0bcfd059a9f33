/**
 * The real feed consumers the interop tests hand our output to, and whether
 * each is installed: Python feedparser (Debian's /usr/bin/python3), newsboat.
 * CI installs them; elsewhere the tests skip with the reason in their name.
 */
import { spawn, spawnSync } from 'node:child_process';

/** The system Python, which carries Debian's python3-feedparser. */
export const PYTHON = '/usr/bin/python3';

function runs(command: string, args: string[]): boolean {
  try {
    return spawnSync(command, args, { stdio: 'ignore', timeout: 20_000 }).status === 0;
  } catch {
    return false;
  }
}

export const hasFeedparser = runs(PYTHON, ['-c', 'import feedparser']);
export const hasNewsboat = runs('newsboat', ['--version']);

/** Runs a program to completion with a deadline; resolves with its exit code and output. */
export function run(command: string, args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
