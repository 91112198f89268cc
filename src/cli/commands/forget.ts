/**
 * `tsumiki forget EMPLOYEE_ID --yes`: erases everything stored about a person (requests through
 * HR). Without --yes it asks on a terminal, and refuses (exit 2) when there is none, so a script
 * can never erase someone by accident.
 */
import readline from 'node:readline';
import { erasePerson } from '../../privacy/personal-data';
import { withRequestedPerson } from './requested-person';
import type { CliCommand, CliIO } from '../cli-command';

async function askYes(io: CliIO, question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: io.stdin, output: io.stderr, terminal: false });
  try {
    const answer = await new Promise<string>((resolve) => {
      io.stderr.write(question);
      rl.once('line', resolve);
      rl.once('close', () => resolve(''));
    });
    return answer.trim().toLowerCase() === 'yes';
  } finally {
    rl.close();
  }
}

export const forgetCommand: CliCommand = {
  name: 'forget',
  usage: 'tsumiki forget EMPLOYEE_ID --yes [--db FILE]',
  summary: 'erases everything stored about a person, keeping only a pseudonymous audit line (asks unless --yes)',
  options: { yes: { type: 'boolean', short: 'y' } },
  positionals: [1, 1],
  run: (ctx) =>
    withRequestedPerson(ctx, 'forget', '; nothing erased', async (db, person, id) => {
      if (!ctx.values.yes) {
        if (!ctx.io.stdin.isTTY) {
          ctx.io.stderr.write(
            `tsumiki forget: refusing to erase "${id}" without confirmation: add --yes (stdin is not a terminal, so I cannot ask)\n`,
          );
          return 2;
        }
        const who = person.name ? `${id} (${person.name})` : id;
        if (!(await askYes(ctx.io, `Erase ALL data of ${who}? This cannot be undone. Type "yes" to continue: `))) {
          ctx.io.stderr.write('nothing erased\n');
          return 1;
        }
      }
      const report = erasePerson(db, person.personId, 'cli', new Date())!;
      const rows = Object.entries(report.deleted).filter(([t]) => !t.includes('(cleared)')).reduce((n, [, c]) => n + c, 0);
      ctx.io.stderr.write(`erased ${id}: ${rows} rows in ${Object.keys(report.deleted).length} tables; audit subject ${report.subjectHash.slice(0, 16)}…\n`);
      return 0;
    }),
};
