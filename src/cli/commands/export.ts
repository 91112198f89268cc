/** `tsumiki export EMPLOYEE_ID`: everything stored about a person, as JSON on stdout (requests through HR). */
import { exportPersonalData, findPersonForRequest } from '../../privacy/personal-data';
import { openDatabase } from '../../storage/database';
import type { CliCommand } from '../cli-command';

export const exportCommand: CliCommand = {
  name: 'export',
  usage: 'tsumiki export EMPLOYEE_ID [--db FILE]',
  summary: 'prints everything stored about a person as JSON on stdout (a guest: their Slack or Teams user id)',
  positionals: [1, 1],
  async run(ctx) {
    const id = ctx.positionals[0]!.trim();
    const db = openDatabase(ctx.config().databasePath);
    try {
      const person = findPersonForRequest(db, id);
      if (!person) {
        ctx.io.stderr.write(`tsumiki export: no person with employee id or channel user id "${id}"\n`);
        return 1;
      }
      const data = exportPersonalData(db, person.personId, new Date())!;
      ctx.io.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
      return 0;
    } finally {
      db.close();
    }
  },
};
