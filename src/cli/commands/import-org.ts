/** `tsumiki import-org FILE.csv`: loads the organisation; bad rows by line number, good rows imported. */
import fs from 'node:fs';
import { OrgFileError, importOrg } from '../../people/org-import';
import { PeopleRepository } from '../../people/people-repository';
import { openDatabase } from '../../storage/database';
import type { CliCommand } from '../cli-command';

export const importOrgCommand: CliCommand = {
  name: 'import-org',
  usage: 'tsumiki import-org FILE.csv [--db FILE]',
  summary: 'loads the organisation (employee_id,name,email,manager_id,slack_user_id,teams_aad_object_id,timezone,locale)',
  positionals: [1, 1],
  async run(ctx) {
    const file = ctx.positionals[0]!;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      ctx.io.stderr.write(`tsumiki: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
      return 1;
    }
    const db = openDatabase(ctx.config().databasePath);
    try {
      const result = importOrg(db, new PeopleRepository(db), text);
      for (const p of result.problems) ctx.io.stderr.write(`${file}:${p.line}: ${p.reason}\n`);
      ctx.io.stderr.write(
        `imported ${result.created + result.updated} people (${result.created} new, ${result.updated} updated), ${result.problems.length} rows rejected\n`,
      );
      if (result.unknownManagers.length > 0) {
        ctx.io.stderr.write(`note: manager ids not found yet: ${result.unknownManagers.join(', ')}\n`);
      }
      return result.problems.length > 0 ? 1 : 0;
    } catch (error) {
      if (error instanceof OrgFileError) {
        ctx.io.stderr.write(`tsumiki: ${file}: ${error.message}\n`);
        return 1;
      }
      throw error;
    } finally {
      db.close();
    }
  },
};
