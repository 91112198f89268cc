/** Shared by `tsumiki export` and `tsumiki forget`: open the database and find the person a request through HR names. */
import { findPersonForRequest } from '../../privacy/personal-data';
import { openDatabase, type Db } from '../../storage/database';
import type { CliContext } from '../cli-command';

type RequestedPerson = NonNullable<ReturnType<typeof findPersonForRequest>>;

/**
 * Runs `fn` with the person named by the first argument (employee id, or a guest's Slack/Teams
 * user id); exits 1 with a clear message when there is none. The database is always closed.
 */
export async function withRequestedPerson(
  ctx: CliContext,
  command: string,
  notFoundSuffix: string,
  fn: (db: Db, person: RequestedPerson, id: string) => Promise<number> | number,
): Promise<number> {
  const id = ctx.positionals[0]!.trim();
  const db = openDatabase(ctx.config().databasePath);
  try {
    const person = findPersonForRequest(db, id);
    if (!person) {
      ctx.io.stderr.write(`tsumiki ${command}: no person with employee id or channel user id "${id}"${notFoundSuffix}\n`);
      return 1;
    }
    return await fn(db, person, id);
  } finally {
    db.close();
  }
}
