/**
 * `tsumiki invite`: queues the one-time invitation to weekly reflections for every imported person
 * not yet invited, or for the employees listed. The outbox key `invitation:<person>` makes the
 * invitation go out once however often the command runs; `invited_at` is set when it is sent.
 */
import type { CoreServices } from '../core/core-services';

export interface InvitationPlan {
  queued: number;
  /** Already invited (sent before) or already queued. */
  alreadyInvited: string[];
  /** Listed ids that are not in the organisation import. */
  unknown: string[];
}

export function queueInvitations(core: CoreServices, now: Date, employeeIds: string[] = []): InvitationPlan {
  const plan: InvitationPlan = { queued: 0, alreadyInvited: [], unknown: [] };
  const people = employeeIds.length > 0 ? employeeIds.map((id) => ({ id, person: core.people.byEmployeeId(id) })) : core.people.allMembers().map((p) => ({ id: p.employeeId!, person: p }));
  // Invited already, or decided without an invitation (typed `schedule on` / `off` first).
  const invited = core.db.prepare(
    `SELECT COALESCE(s.invited_at, c.decided_at) AS invited_at FROM people p
     LEFT JOIN reflection_settings s ON s.person_id = p.id
     LEFT JOIN consents c ON c.person_id = p.id AND c.kind = 'weekly_reflection'
     WHERE p.id = ?`,
  );
  const insert = core.db.prepare(
    "INSERT OR IGNORE INTO outbox (person_id, dedupe_key, kind, payload, not_before, created_at) VALUES (?, ?, 'invitation', '{}', ?, ?)",
  );
  core.db.transaction(() => {
    for (const { id, person } of people) {
      if (!person || person.isGuest) {
        plan.unknown.push(id);
        continue;
      }
      const row = invited.get(person.id) as { invited_at: string | null } | undefined;
      if (row?.invited_at) {
        plan.alreadyInvited.push(id);
        continue;
      }
      const at = now.toISOString();
      if (insert.run(person.id, `invitation:${person.id}`, at, at).changes === 1) plan.queued += 1;
      else plan.alreadyInvited.push(id);
    }
  })();
  return plan;
}
