// sunshine package verify: a recipient's check of a disclosure package. Needs no store.
#include "engine/cli/command.h"
#include "engine/core/json.h"
#include "exporters/bagit.h"

namespace sunshine {

namespace {

int RunVerify(CommandContext& context) {
  const auto& words = context.args.positionals();
  if (words.size() != 1) {
    return context.UsageError("usage: package verify FILE.zip");
  }
  auto report = VerifyBagZip(Path(words[0]));
  if (!report.ok()) {
    if (report.status().code() == StatusCode::kCorruption) {
      context.Err() << "sunshine: " << report.status().message() << '\n';
      return kExitProblems;
    }
    return context.Fail(report.status());
  }
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("file", words[0]);
    out->set("ok", report->ok());
    out->set("bag", report->top_dir);
    out->set("payload_files", report->payload_files);
    out->set("payload_bytes", report->payload_bytes);
    JsonArray manifests = NewJsonArray();
    for (const std::string& algorithm : report->manifests) {
      manifests->add(algorithm);
    }
    out->set("manifests", manifests);
    JsonArray problems = NewJsonArray();
    for (const BagProblem& problem : report->problems) {
      JsonObject item = NewJsonObject();
      item->set("path", problem.path);
      item->set("kind", problem.kind);
      item->set("detail", problem.detail);
      problems->add(item);
    }
    out->set("problems", problems);
    context.Out() << ToJson(out) << '\n';
  } else if (report->ok()) {
    std::string algorithms;
    for (const std::string& algorithm : report->manifests) {
      algorithms += (algorithms.empty() ? "" : " and ") + algorithm;
    }
    context.Out() << words[0] << ": OK, bag " << report->top_dir << ", " << report->payload_files
                  << " payload files (" << report->payload_bytes << " bytes), every " << algorithms
                  << " checksum and the tag manifest verify\n";
  } else {
    for (const BagProblem& problem : report->problems) {
      context.Out() << problem.kind << ": " << problem.path << " (" << problem.detail << ")\n";
    }
    context.Out() << words[0] << ": FAILED, " << report->problems.size() << " problem(s)\n";
  }
  return report->ok() ? kExitOk : kExitProblems;
}

}  // namespace

std::vector<CommandSpec> PackageCommands() {
  return {
      {"package verify", "check a disclosure package's BagIt structure and every checksum",
       "FILE.zip [--json]",
       "For recipients: needs no Sunshine home. Checks bagit.txt, the payload manifests\n"
       "(sha256 and sha512: every payload file listed in each, every listed file present and\n"
       "matching), the tag manifest and the Payload-Oxum, and names each missing, extra or\n"
       "corrupted file. Exit status 1 if anything is wrong. Any BagIt tool can check the same\n"
       "bag after unzipping.",
       StoreAccess::kNone, nullptr, RunVerify},
  };
}

}  // namespace sunshine
