// The machine a run happened on, for the table's caption.
import {cpus, platform, release, totalmem, type} from 'node:os';

export const machine = () => {
  const cores = cpus();
  return {
    os: `${type()} ${release()} (${platform()})`,
    cpu: cores[0]?.model.trim() ?? 'unknown',
    cores: cores.length,
    memoryGB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
  };
};

export const describeMachine = (m) =>
  `${m.os}; ${m.cpu} x ${m.cores} cores; ${m.memoryGB} GB RAM; Node ${m.node}`;
