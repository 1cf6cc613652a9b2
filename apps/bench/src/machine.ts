// The machine a run happened on, for the table's caption.
import {cpus, platform, release, totalmem, type} from 'node:os';

export type Machine = {os: string; cpu: string; cores: number; memoryGB: number; node: string};

export const machine = (): Machine => {
  const cores = cpus();
  return {
    os: `${type()} ${release()} (${platform()})`,
    cpu: cores[0]?.model.trim() ?? 'unknown',
    cores: cores.length,
    memoryGB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
  };
};

export const describeMachine = (m: Machine): string =>
  `${m.os}; ${m.cpu} x ${m.cores} cores; ${m.memoryGB} GB RAM; Node ${m.node}`;
