/** Test hook: ZYDA_FAIL_AT=a,b makes the process die at these named points, as a kill -9 would. */
export function failPoint(name: string): void {
  const at = process.env.ZYDA_FAIL_AT;
  if (at && at.split(',').includes(name)) process.kill(process.pid, 'SIGKILL');
}
