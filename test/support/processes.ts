import { spawn, type ChildProcess } from 'node:child_process';
import { freePort, waitForHttp } from './nginx.js';

export interface Instance {
  port: number;
  child: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** Starts a real web instance (`server/main.ts`) as its own process. */
export async function startWeb(env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const instance = startProcess('server/main.ts', { ...env, PORT: String(port) });
  await waitForHttp(`http://127.0.0.1:${port}/readyz`, 60_000).catch((err) => {
    throw new Error(`${err.message}\n${instance.output()}`);
  });
  return { ...instance, port };
}

export function startProcess(file: string, env: Record<string, string>): Omit<Instance, 'port'> {
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  return {
    child,
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}
