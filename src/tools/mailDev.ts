/**
 * A tiny local SMTP server for trying the mail (README "Trying the mail locally"): accepts every
 * message on 127.0.0.1 and prints it to the console (sender, recipients, subject, the plain text and
 * the attachments' names and sizes); with MAIL_DEV_DIR it also writes each message as a .eml file
 * that a mail program can open. Nothing leaves the machine.
 *
 *   npm run mail:dev                     (port 2525; MAIL_DEV_PORT to change it)
 *   SMTP_URL=smtp://127.0.0.1:2525 MAIL_FROM=klachtbot@localhost npm start
 *
 * Uses smtp-server and mailparser (development dependencies): a developer tool, not for production.
 */
import { mkdirSync, writeFileSync } from 'fs';
import path from 'path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const port = Number(process.env.MAIL_DEV_PORT ?? 2525);
const dir = process.env.MAIL_DEV_DIR ? path.resolve(process.env.MAIL_DEV_DIR) : undefined;
if (dir) mkdirSync(dir, { recursive: true });
let count = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  // accept any user name and password (SMTP_URL may carry some)
  onAuth: (_auth, _session, cb) => cb(null, { user: 'dev' }),
  logger: false,
  onData(stream, session, cb) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks);
      simpleParser(raw)
        .then((mail) => {
          count++;
          const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          const lines = [
            `──── mail ${count} ─ ${new Date().toISOString()} ────────────────────────`,
            `From:       ${from}`,
            `To:         ${to}`,
            `Subject:    ${mail.subject ?? ''}`,
            `Message-ID: ${mail.messageId ?? ''}`,
            '',
            (mail.text ?? '').trimEnd(),
            '',
            ...mail.attachments.map((a) => `[attachment] ${a.filename ?? '(no name)'} ${a.contentType} ${a.size} bytes`),
          ];
          if (dir) {
            const file = path.join(dir, `${String(count).padStart(4, '0')}.eml`);
            writeFileSync(file, raw);
            lines.push(`[saved] ${file}`);
          }
          process.stdout.write(`${lines.join('\n')}\n\n`);
          cb();
        })
        .catch(cb);
    });
  },
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`mail:dev listening on smtp://127.0.0.1:${port} — set SMTP_URL=smtp://127.0.0.1:${port} and MAIL_FROM; Ctrl+C stops\n`);
});
process.on('SIGINT', () => server.close(() => process.exit(0)));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
