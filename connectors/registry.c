/*
** connectors/registry.c: the catalogue of connectors, their options and default schemas.
**
** Linked into both the compiler (to validate CREATE TABLE ... WITH (...) and to supply the
** schema of tables that declare no columns) and the worker (to look options up). It holds
** data only: the connector implementations live in connectors/<name>.c.
** Adding a connector: add a ConnSpec here, then its implementation in the worker.
*/
#include <string.h>
#include "../runtime/runtime.h"

static const char *const no_options[] = { NULL };
static const char *const single_file_options[] = { "path", NULL };
static const char *const single_file_required[] = { "path", NULL };
static const char *const impulse_options[] = {
  "event_rate", "message_count", "event_time_interval", "start_time", NULL };
static const char *const impulse_required[] = { "event_rate", NULL };
/* event_rate is required unless unthrottled = 'true': nexmark.c checks that when it opens. */
static const char *const nexmark_options[] = {
  "event_rate", "runtime", "max_events", "unthrottled", "base_time", NULL };

static const ConnSpec specs[] = {
  { "single_file", CONN_SOURCE | CONN_SINK, 1, single_file_options, single_file_required,
    NULL, 1 },
  { "stdout", CONN_SINK, 0, no_options, no_options, NULL, 1 },
  { "blackhole", CONN_SINK, 0, no_options, no_options, NULL, 0 },
  { "impulse", CONN_SOURCE, 0, impulse_options, impulse_required,
    "counter BIGINT UNSIGNED NOT NULL, subtask_index BIGINT UNSIGNED NOT NULL", 0 },
  /* Arroyo's nexmark schema (arroyo-connectors nexmark/mod.rs): three nullable structs of
  ** NOT NULL fields, in Arroyo's field order (auction: description before item_name). */
  { "nexmark", CONN_SOURCE, 0, nexmark_options, no_options,
    "person STRUCT<id BIGINT NOT NULL, name TEXT NOT NULL, email_address TEXT NOT NULL, "
    "credit_card TEXT NOT NULL, city TEXT NOT NULL, state TEXT NOT NULL, "
    "datetime TIMESTAMP NOT NULL, extra TEXT NOT NULL>, "
    "auction STRUCT<id BIGINT NOT NULL, description TEXT NOT NULL, item_name TEXT NOT NULL, "
    "initial_bid BIGINT NOT NULL, reserve BIGINT NOT NULL, datetime TIMESTAMP NOT NULL, "
    "expires TIMESTAMP NOT NULL, seller BIGINT NOT NULL, category BIGINT NOT NULL, "
    "extra TEXT NOT NULL>, "
    "bid STRUCT<auction BIGINT NOT NULL, bidder BIGINT NOT NULL, price BIGINT NOT NULL, "
    "channel TEXT NOT NULL, url TEXT NOT NULL, datetime TIMESTAMP NOT NULL, "
    "extra TEXT NOT NULL>", 0 },
};

const ConnSpec *conn_lookup(const char *name) {
  for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
    if (strcmp(specs[i].name, name) == 0) return &specs[i];
  return NULL;
}

/* Options any table may carry; format options are checked against needs_format by the
** compiler. */
static const char *const common_options[] = {
  "connector", "type", "format", "bad_data", "event_time_field", "watermark_field",
  "idle_micros", "json.unstructured", "json.timestamp_format", "json.include_schema", NULL };

int conn_is_common_option(const char *key) {
  for (int i = 0; common_options[i]; i++)
    if (strcmp(common_options[i], key) == 0) return 1;
  return 0;
}

static const char *const type_values[] = { "source", "sink", NULL };
static const char *const format_values[] = { "json", "debezium_json", NULL };
static const char *const bad_data_values[] = { "fail", "drop", NULL };
static const char *const bool_values[] = { "true", "false", NULL };
static const char *const ts_format_values[] = { "rfc3339", "unix_millis", NULL };

const char *const *conn_option_values(const char *key) {
  if (strcmp(key, "type") == 0) return type_values;
  if (strcmp(key, "format") == 0) return format_values;
  if (strcmp(key, "bad_data") == 0) return bad_data_values;
  if (strcmp(key, "json.unstructured") == 0) return bool_values;
  if (strcmp(key, "json.include_schema") == 0) return bool_values;
  if (strcmp(key, "json.timestamp_format") == 0) return ts_format_values;
  return NULL;
}

const char *conn_opt(const RtConnector *c, const char *key) {
  for (uint32_t i = 0; i < c->nopts; i++)
    if (strcmp(c->opts[i].key, key) == 0) return c->opts[i].value;
  return NULL;
}
