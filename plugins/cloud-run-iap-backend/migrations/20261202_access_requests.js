// @ts-check

/*
 * Access requests and the history of an app's access (issue 12). Times are ISO 8601 UTC strings
 * as Date.toISOString() writes them (`2026-12-02T10:00:00.000Z`), so they compare as text the
 * same way on SQLite and PostgreSQL.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('access_requests', table => {
    table.bigIncrements('seq');
    table.uuid('id').notNullable().unique();
    table.string('entity_ref', 255).notNullable();
    table.string('service', 255).notNullable();
    table.string('requester', 255).notNullable();
    table.string('member', 320).notNullable();
    table.text('justification').notNullable();
    table.string('duration', 16).notNullable();
    table.string('status', 16).notNullable();
    table.string('created_at', 32).notNullable();
    table.string('decided_at', 32).nullable();
    table.string('decided_by', 255).nullable();
    table.text('decision_comment').nullable();
    table.string('expires_at', 32).nullable();
    table.string('request_expires_at', 32).notNullable();
    table.index(['entity_ref', 'status'], 'access_requests_entity_status_idx');
    table.index(['status', 'expires_at'], 'access_requests_status_expiry_idx');
  });
  // At most one pending request per user and app, even when two replicas take the same request
  // at once. MySQL has no partial indexes; there the service's own check is all there is.
  if (!String(knex.client.config.client).includes('mysql')) {
    await knex.schema.alterTable('access_requests', table => {
      table.unique(['entity_ref', 'requester'], {
        indexName: 'access_requests_one_pending_idx',
        predicate: knex.whereRaw("status = 'pending'"),
      });
    });
  }

  await knex.schema.createTable('access_events', table => {
    // The order events were recorded in: several may share a millisecond.
    table.bigIncrements('seq');
    table.uuid('id').notNullable().unique();
    table.string('entity_ref', 255).notNullable();
    table.string('service', 255).notNullable();
    table.string('kind', 32).notNullable();
    table.string('actor', 255).notNullable();
    table.text('members').notNullable();
    table.text('detail').nullable();
    table.uuid('request_id').nullable();
    table.string('at', 32).notNullable();
    table.index(['entity_ref', 'at'], 'access_events_entity_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('access_events');
  await knex.schema.dropTable('access_requests');
};
