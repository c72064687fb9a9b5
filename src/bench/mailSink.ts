/**
 * The e-mail benchmark's SMTP server, in a process of its own (as a real mail server is on another
 * machine): it receives what the bot's delivery worker sends and prints `PORT <n>` when ready and
 * `MAIL <epoch ms>` for every message received. Run by src/bench/intake.ts; ends on SIGTERM.
 * In the load generator's own process, receiving and parsing every mail (the confirmation carries
 * the complaint PDF) took turns from the channel that answers the bot's replies, so the bot's turns
 * waited for the benchmark, not for themselves.
 */
import { SMTPServer } from 'smtp-server';

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData: (stream, _session, cb) => {
    stream.resume();
    stream.on('end', () => {
      process.stdout.write(`MAIL ${Date.now()}\n`);
      cb();
    });
  },
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`PORT ${(server.server.address() as { port: number }).port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
