#include "engine/audit/audit_log.h"

#include "engine/core/clock.h"
#include "engine/core/json.h"
#include "engine/core/sha256.h"
#include "engine/core/time_format.h"

namespace sunshine {

namespace {

void AddField(Sha256& hasher, std::string_view bytes) {
  std::string prefix = std::to_string(bytes.size()) + ":";
  hasher.Update(prefix);
  hasher.Update(bytes);
  hasher.Update("\n");
}

constexpr const char* kSelectEvents =
    "SELECT seq, at, actor, action, object, details, prev_hash, hash FROM audit_events ";

AuditEvent EventFromRow(const Row& row) {
  AuditEvent event;
  event.seq = row.Int(0);
  event.at = row.Text(1);
  event.actor = row.Text(2);
  event.action = row.Text(3);
  event.object = row.Text(4);
  event.details = row.Text(5);
  event.prev_hash = row.Text(6);
  event.hash = row.Text(7);
  return event;
}

}  // namespace

// Formula (docs/formats/audit-chain.md): each field as "<byte length>:<bytes>\n" in the order
// seq, at, actor, action, object, details, prev_hash; the event hash is SHA-256 (hex) of that.
// Length prefixes make the encoding unambiguous whatever the fields contain.
std::string AuditEventHash(const AuditEvent& event) {
  Sha256 hasher;
  AddField(hasher, std::to_string(event.seq));
  AddField(hasher, event.at);
  AddField(hasher, event.actor);
  AddField(hasher, event.action);
  AddField(hasher, event.object);
  AddField(hasher, event.details);
  AddField(hasher, event.prev_hash);
  return hasher.HexDigest();
}

Result<std::int64_t> AuditLog::Append(Database& db, std::string_view actor, std::string_view action,
                                      std::string_view object, std::string_view details_json) {
  if (!db.InTransaction()) {
    return Status::Internal("audit event '" + std::string(action) +
                            "' appended outside a transaction");
  }
  AuditEvent event;
  event.prev_hash = std::string(kAuditGenesisHash);
  event.seq = 1;
  SUNSHINE_RETURN_IF_ERROR(db.Query("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
                                    {}, [&](const Row& row) {
                                      event.seq = row.Int(0) + 1;
                                      event.prev_hash = row.Text(1);
                                      return Status();
                                    }));
  event.at = FormatUtc(Clock::WallNow());
  event.actor = std::string(actor);
  event.action = std::string(action);
  event.object = std::string(object);
  event.details = details_json.empty() ? std::string("{}") : std::string(details_json);
  event.hash = AuditEventHash(event);
  SUNSHINE_RETURN_IF_ERROR(
      db.Exec("INSERT INTO audit_events (seq, at, actor, action, object, details, prev_hash, hash) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
              {event.seq, event.at, event.actor, event.action, event.object, event.details,
               event.prev_hash, event.hash}));
  return event.seq;
}

AuditChainReport AuditLog::VerifyEvents(const std::function<bool(AuditEvent&)>& next) {
  AuditChainReport report;
  std::string prev = std::string(kAuditGenesisHash);
  std::int64_t expected_seq = 1;
  AuditEvent event;
  while (next(event)) {
    ++report.events;
    if (report.first_broken_seq) {
      continue;
    }
    if (event.seq != expected_seq) {
      report.first_broken_seq = expected_seq;
      report.problem = event.seq > expected_seq
                           ? "event " + std::to_string(expected_seq) + " is missing (next is " +
                                 std::to_string(event.seq) + ")"
                           : "event " + std::to_string(event.seq) + " is out of order";
      continue;
    }
    if (event.prev_hash != prev) {
      report.first_broken_seq = event.seq;
      report.problem = "prev_hash does not match the hash of event " +
                       std::to_string(event.seq - 1) + " (inserted, removed or reordered event)";
      continue;
    }
    if (AuditEventHash(event) != event.hash) {
      report.first_broken_seq = event.seq;
      report.problem = "content does not match its hash (edited event)";
      continue;
    }
    prev = event.hash;
    report.head_hash = event.hash;
    ++expected_seq;
  }
  return report;
}

Result<AuditChainReport> AuditLog::Verify(Database& db) {
  // Stream in pages so memory stays flat however long the trail grows.
  std::vector<AuditEvent> page;
  std::size_t index = 0;
  std::int64_t after = 0;
  Status error;
  bool exhausted = false;
  auto fetch = [&]() {
    page.clear();
    index = 0;
    error = db.Query(std::string(kSelectEvents) + "WHERE seq > $1 ORDER BY seq LIMIT 5000", {after},
                     [&](const Row& row) {
                       page.push_back(EventFromRow(row));
                       return Status();
                     });
    if (page.empty()) {
      exhausted = true;
    } else {
      after = page.back().seq;
    }
  };
  auto report = VerifyEvents([&](AuditEvent& out) {
    if (exhausted || !error.ok()) {
      return false;
    }
    if (index >= page.size()) {
      fetch();
      if (exhausted || !error.ok()) {
        return false;
      }
    }
    out = page[index++];
    return true;
  });
  if (!error.ok()) {
    return error;
  }
  return report;
}

Status AuditLog::List(Database& db, const AuditFilter& filter,
                      const std::function<Status(const AuditEvent&)>& visit) {
  std::string sql = std::string(kSelectEvents) + "WHERE 1 = 1";
  SqlParams params;
  auto add = [&](const std::string& clause, std::string value) {
    params.emplace_back(std::move(value));
    sql += " AND " + clause + std::to_string(params.size());
  };
  if (filter.since) {
    add("at >= $", *filter.since);
  }
  if (filter.until) {
    add("at < $", *filter.until);
  }
  if (filter.action) {
    if (!filter.action->empty() && filter.action->back() == '.') {
      params.emplace_back(*filter.action);
      sql += " AND substr(action, 1, length($" + std::to_string(params.size()) + ")) = $" +
             std::to_string(params.size());
    } else {
      add("action = $", *filter.action);
    }
  }
  if (filter.actor) {
    add("actor = $", *filter.actor);
  }
  if (filter.object) {
    add("object = $", *filter.object);
  }
  sql += " ORDER BY seq";
  if (filter.limit > 0) {
    sql += " LIMIT " + std::to_string(filter.limit);
  }
  return db.Query(sql, params, [&](const Row& row) { return visit(EventFromRow(row)); });
}

std::string AuditEventToJson(const AuditEvent& event) {
  JsonObject object = NewJsonObject();
  object->set("seq", event.seq);
  object->set("at", event.at);
  object->set("actor", event.actor);
  object->set("action", event.action);
  object->set("object", event.object);
  object->set("details", event.details);
  object->set("prev_hash", event.prev_hash);
  object->set("hash", event.hash);
  return ToJson(object);
}

Result<AuditEvent> AuditEventFromJson(std::string_view line) {
  auto parsed = ParseJsonObject(line);
  if (!parsed.ok()) {
    return parsed.status();
  }
  const JsonObject& object = *parsed;
  for (const char* key :
       {"seq", "at", "actor", "action", "object", "details", "prev_hash", "hash"}) {
    if (!object->has(key)) {
      return Status::InvalidInput(std::string("audit event lacks '") + key + "'");
    }
  }
  AuditEvent event;
  try {
    event.seq = object->getValue<std::int64_t>("seq");
    event.at = object->getValue<std::string>("at");
    event.actor = object->getValue<std::string>("actor");
    event.action = object->getValue<std::string>("action");
    event.object = object->getValue<std::string>("object");
    event.details = object->getValue<std::string>("details");
    event.prev_hash = object->getValue<std::string>("prev_hash");
    event.hash = object->getValue<std::string>("hash");
  } catch (const Poco::Exception& error) {
    return Status::InvalidInput("audit event field of the wrong type: " + error.displayText());
  }
  return event;
}

Status AuditLog::Export(Database& db, std::ostream& out, std::int64_t* written) {
  std::int64_t count = 0;
  SUNSHINE_RETURN_IF_ERROR(
      db.Query(std::string(kSelectEvents) + "ORDER BY seq", {}, [&](const Row& row) {
        out << AuditEventToJson(EventFromRow(row)) << '\n';
        ++count;
        return out ? Status() : Status::IoError("write failed during audit export");
      }));
  if (written != nullptr) {
    *written = count;
  }
  return {};
}

}  // namespace sunshine
