/**
 * The worker side of bench/lib/proc.ts: commands arrive over IPC as `{id, command, args}`
 * and are answered `{id, result}` or `{id, error}`. SIGTERM ends the worker.
 */
type Handler = (args: any) => unknown;

export function serveCommands(handlers: Record<string, Handler>): void {
  if (!process.send) throw new Error('a bench worker needs an IPC channel');
  process.on('message', async (message: { id: number; command: string; args: unknown }) => {
    const handler = handlers[message.command];
    try {
      if (!handler) throw new Error(`unknown command ${message.command}`);
      const result = await handler(message.args);
      process.send!({ id: message.id, result });
    } catch (error) {
      process.send!({ id: message.id, error: (error as Error).stack ?? String(error) });
    }
  });
  process.on('SIGTERM', () => process.exit(0));
  process.on('disconnect', () => process.exit(0));
}
