export function runCli(_args: string[]): Promise<number> {
  return Promise.resolve(0);
}
