// @ts-check

/**
 * The triage history: each entity's latest summary, and every transition between summaries.
 * Times are ISO-8601 UTC strings: they sort and compare the same on SQLite and PostgreSQL.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('latest_reports', table => {
    table.comment('The latest report summary of each entity');
    table.string('entity_ref', 255).primary().notNullable();
    table.string('overall', 16).notNullable();
    table.text('failure_modes').notNullable().comment('JSON array of ids');
    table.string('failing_stage', 64).nullable();
    table.string('cluster', 255).nullable();
    table.string('owner', 255).nullable();
    table.string('since', 32).notNullable().comment('When it entered overall');
    table.string('checked_at', 32).notNullable();
  });
  await knex.schema.createTable('transitions', table => {
    table.comment('Every change of status or failure modes of an entity');
    table.bigIncrements('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('at', 32).notNullable();
    table.string('from_status', 16).nullable();
    table.string('to_status', 16).notNullable();
    table.string('kind', 32).notNullable();
    table.text('added').notNullable().comment('JSON array of ids');
    table.text('cleared').notNullable().comment('JSON array of ids');
    table.string('cluster', 255).nullable();
    table.string('notified_at', 32).nullable();
    table.index(['entity_ref', 'at'], 'transitions_entity_at_idx');
    table.index(['at'], 'transitions_at_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('transitions');
  await knex.schema.dropTable('latest_reports');
};
