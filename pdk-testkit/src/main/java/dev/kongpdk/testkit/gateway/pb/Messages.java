package dev.kongpdk.testkit.gateway.pb;

import static dev.kongpdk.testkit.gateway.pb.Schema.Type.BOOL;
import static dev.kongpdk.testkit.gateway.pb.Schema.Type.BYTES;
import static dev.kongpdk.testkit.gateway.pb.Schema.Type.DOUBLE;
import static dev.kongpdk.testkit.gateway.pb.Schema.Type.INT32;
import static dev.kongpdk.testkit.gateway.pb.Schema.Type.INT64;
import static dev.kongpdk.testkit.gateway.pb.Schema.Type.STRING;

import java.util.Map;

/** The messages of Kong's {@code pluginsocket.proto} (field numbers as in Kong 3.x). */
final class Messages {

  private Messages() {}

  // google.protobuf.Struct / Value / ListValue, self-referencing: built by hand below.
  static final Schema SCALAR_V_STRING = Schema.builder().field("v", 1, BYTES).build();
  static final Schema SCALAR_V_INT = Schema.builder().field("v", 1, INT32).build();
  static final Schema SCALAR_V_BOOL = Schema.builder().field("v", 1, BOOL).build();
  static final Schema SCALAR_V_NUMBER = Schema.builder().field("v", 1, DOUBLE).build();

  static final Schema CMD_START_INSTANCE =
      Schema.builder().field("name", 1, STRING).field("config", 2, BYTES).build();
  static final Schema CMD_INSTANCE = Schema.builder().field("instance_id", 1, INT32).build();
  static final Schema CMD_HANDLE_EVENT =
      Schema.builder().field("instance_id", 1, INT32).field("event_name", 2, STRING).build();
  static final Schema RPC_CALL = Schema.builder()
      .field("sequence", 1, INT64)
      .message("cmd_start_instance", 33, CMD_START_INSTANCE)
      .message("cmd_close_instance", 35, CMD_INSTANCE)
      .message("cmd_handle_event", 36, CMD_HANDLE_EVENT)
      .build();
  static final Schema INSTANCE_STATUS = Schema.builder()
      .field("name", 1, STRING).field("instance_id", 2, INT32).field("started_at", 4, INT64).build();
  static final Schema RPC_RETURN = Schema.builder()
      .field("sequence", 1, INT64).message("instance_status", 33, INSTANCE_STATUS).build();

  static final Schema TARGET = Schema.builder().field("host", 1, STRING).field("port", 2, INT32).build();
  static final Schema CONSUMER_SPEC =
      Schema.builder().field("id", 1, STRING).field("by_username", 2, BOOL).build();
  static final Schema CONSUMER = Schema.builder()
      .field("id", 1, STRING).field("created_at", 2, INT64).field("username", 3, STRING)
      .field("custom_id", 4, STRING).repeated("tags", 5, STRING).build();
  static final Schema CREDENTIAL =
      Schema.builder().field("id", 1, STRING).field("consumer_id", 2, STRING).build();
  static final Schema AUTHENTICATE_ARGS = Schema.builder()
      .message("consumer", 1, CONSUMER).message("credential", 2, CREDENTIAL).build();
  static final Schema KEY = Schema.builder().field("id", 1, STRING).build();
  static final Schema ROUTE = Schema.builder()
      .field("id", 1, STRING).field("created_at", 2, INT64).field("updated_at", 3, INT64)
      .field("name", 4, STRING).repeated("protocols", 5, STRING).repeated("methods", 6, STRING)
      .repeated("hosts", 7, STRING).repeated("paths", 8, STRING).repeated("headers", 9, STRING)
      .field("https_redirect_status_code", 10, INT32).field("regex_priority", 11, INT32)
      .field("strip_path", 12, BOOL).field("preserve_host", 13, BOOL)
      .repeated("snis", 14, STRING).repeated("sources", 15, STRING)
      .repeated("destinations", 16, STRING).repeated("tags", 17, STRING)
      .message("service", 18, KEY).build();
  static final Schema SERVICE = Schema.builder()
      .field("id", 1, STRING).field("created_at", 2, INT64).field("updated_at", 3, INT64)
      .field("name", 4, STRING).field("retries", 5, INT32).field("protocol", 6, STRING)
      .field("host", 7, STRING).field("port", 8, INT32).field("path", 9, STRING)
      .field("connect_timeout", 10, INT32).field("write_timeout", 11, INT32)
      .field("read_timeout", 12, INT32).repeated("tags", 13, STRING)
      .message("client_certificate", 14, KEY).build();
  static final Schema DICT_STATS =
      Schema.builder().field("allocated_slabs", 1, INT64).field("capacity", 2, INT64).build();
  static final Schema MEMORY_STATS = Schema.builder()
      .message("lua_shared_dicts", 1, Schema.builder()
          .message("kong", 1, DICT_STATS).message("kong_db_cache", 2, DICT_STATS).build())
      .repeatedMessage("workers_lua_vms", 2, Schema.builder()
          .field("http_allocated_gc", 1, INT64).field("pid", 2, INT64).build())
      .build();
  static final Schema RAW_BODY_RESULT = Schema.builder()
      .field("content", 1, BYTES).field("body_filepath", 2, STRING).field("error", 3, STRING).build();
  static final Schema URI_CAPTURES = Schema.builder()
      .repeated("unnamed", 1, BYTES)
      .repeatedMessage("named", 2, Schema.builder().field("key", 1, STRING).field("value", 2, BYTES).build())
      .build();

  /** The entity messages Kong encodes straight from the PDK's Lua table. */
  static final Map<String, Schema> ENTITIES = Map.of(
      "Route", ROUTE,
      "Service", SERVICE,
      "Consumer", CONSUMER,
      "AuthenticatedCredential", CREDENTIAL,
      "MemoryStats", MEMORY_STATS);
}
