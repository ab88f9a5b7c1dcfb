import type { SqlClient } from '@passport/core';
import type { LicenseUsage } from '../../connector/types.ts';
import type { LicenseLedger, ProgramKey } from '../../ports.ts';

const key = (program: ProgramKey) => [program.platform, program.organizationId, program.programId];

/**
 * Licenses in PostgreSQL. A program row holds the seat count and a `used` counter that gates `take`: the counter
 * is raised by one conditional UPDATE (`used < seats`), which PostgreSQL serialises on the row, so two learners
 * racing for the last seat cannot both get it, across processes.
 */
export function createPostgresLicenseLedger(sql: SqlClient): LicenseLedger {
  const ensureProgram = (program: ProgramKey) =>
    sql.query(
      `insert into passport_connector_license_programs (platform, organization_id, program_id)
       values ($1, $2, $3) on conflict do nothing`,
      key(program),
    );

  const usage = async (program: ProgramKey): Promise<LicenseUsage> => {
    const [{ rows: programs }, { rows: holders }] = await Promise.all([
      sql.query<{ seats: number | null }>(
        `select seats from passport_connector_license_programs
          where platform = $1 and organization_id = $2 and program_id = $3`,
        key(program),
      ),
      sql.query<{ learner_external_id: string; taken_at: Date | string }>(
        `select learner_external_id, taken_at from passport_connector_license_seats
          where platform = $1 and organization_id = $2 and program_id = $3
          order by taken_at, learner_external_id`,
        key(program),
      ),
    ]);
    const seats = programs[0]?.seats ?? undefined;
    return {
      programId: program.programId,
      seats,
      used: holders.length,
      free: seats === undefined ? undefined : Math.max(0, seats - holders.length),
      holders: holders.map((row) => ({
        learnerExternalId: row.learner_external_id,
        takenAt: new Date(row.taken_at),
      })),
    };
  };

  const heldSeat = async (program: ProgramKey, learnerExternalId: string) => {
    const { rows } = await sql.query<{ taken_at: Date | string }>(
      `select taken_at from passport_connector_license_seats
        where platform = $1 and organization_id = $2 and program_id = $3 and learner_external_id = $4`,
      [...key(program), learnerExternalId],
    );
    return rows[0] === undefined ? undefined : { learnerExternalId, takenAt: new Date(rows[0].taken_at) };
  };

  return {
    async setSeats(program, seats) {
      await sql.query(
        `insert into passport_connector_license_programs (platform, organization_id, program_id, seats)
         values ($1, $2, $3, $4)
         on conflict (platform, organization_id, program_id) do update set seats = excluded.seats`,
        [...key(program), seats ?? null],
      );
    },

    async take(program, seat) {
      const held = await heldSeat(program, seat.learnerExternalId);
      if (held !== undefined) return { state: 'already-held', seat: held };
      await ensureProgram(program);
      const { rows } = await sql.query<{ bumped: number | string; inserted: number | string }>(
        `with bump as (
           update passport_connector_license_programs set used = used + 1
            where platform = $1 and organization_id = $2 and program_id = $3 and (seats is null or used < seats)
            returning 1
         ), inserted as (
           insert into passport_connector_license_seats (platform, organization_id, program_id, learner_external_id, taken_at)
           select $1, $2, $3, $4, $5 from bump
           on conflict do nothing
           returning 1
         )
         select (select count(*) from bump) as bumped, (select count(*) from inserted) as inserted`,
        [...key(program), seat.learnerExternalId, seat.takenAt.toISOString()],
      );
      const bumped = Number(rows[0]?.bumped ?? 0);
      const inserted = Number(rows[0]?.inserted ?? 0);
      if (bumped === 1 && inserted === 1) {
        return {
          state: 'taken',
          seat: { learnerExternalId: seat.learnerExternalId, takenAt: new Date(seat.takenAt) },
        };
      }
      if (bumped === 1) {
        // The same learner raced themselves and the other request inserted first: give the counted seat back.
        await sql.query(
          `update passport_connector_license_programs set used = used - 1
            where platform = $1 and organization_id = $2 and program_id = $3`,
          key(program),
        );
        const again = await heldSeat(program, seat.learnerExternalId);
        if (again !== undefined) return { state: 'already-held', seat: again };
      }
      return { state: 'full', usage: await usage(program) };
    },

    async release(program, learnerExternalId) {
      const { rows } = await sql.query<{ released: number | string }>(
        `with removed as (
           delete from passport_connector_license_seats
            where platform = $1 and organization_id = $2 and program_id = $3 and learner_external_id = $4
            returning 1
         ), lowered as (
           update passport_connector_license_programs set used = greatest(used - 1, 0)
            where platform = $1 and organization_id = $2 and program_id = $3 and exists (select 1 from removed)
            returning 1
         )
         select (select count(*) from removed) as released`,
        [...key(program), learnerExternalId],
      );
      return Number(rows[0]?.released ?? 0) > 0;
    },

    usage,
  };
}
