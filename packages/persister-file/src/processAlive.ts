/** True when a process with this id exists on this machine (signal 0 only checks). */
export const isProcessAlive = (pid: number): boolean => {
  if (!Number.isSafeInteger(pid) || pid <= 0) {
    return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as {code?: unknown}).code === 'EPERM';
  }
};
