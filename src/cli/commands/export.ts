/** `tsumiki export EMPLOYEE_ID`: everything stored about a person, as JSON on stdout (requests through HR). */
import { exportPersonalData } from '../../privacy/personal-data';
import { withRequestedPerson } from './requested-person';
import type { CliCommand } from '../cli-command';

export const exportCommand: CliCommand = {
  name: 'export',
  usage: 'tsumiki export EMPLOYEE_ID [--db FILE]',
  summary: 'prints everything stored about a person as JSON on stdout (a guest: their Slack or Teams user id)',
  positionals: [1, 1],
  run: (ctx) =>
    withRequestedPerson(ctx, 'export', '', (db, person) => {
      const data = exportPersonalData(db, person.personId, new Date())!;
      ctx.io.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
      return 0;
    }),
};
