// sunshine forms list | show | check: the web-form definitions the importer uses
// (docs/formats/form-definition.md). They need no store: an officer can check a definition
// folder before installing it.
#include <iomanip>

#include "engine/cli/command.h"
#include "engine/core/json.h"
#include "importers/forms/form_definition.h"

namespace sunshine {

namespace {

void DefinitionsOption(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("definitions", "DIR",
                                "form definitions folder (default: forms.definitions in "
                                "sunshine.toml, else HOME/forms)"));
}

// The configuration if there is one; `forms` commands also work without a home.
Result<Config> LoadConfigIfAny(const CommandContext& context) {
  Path file = context.global.config ? Path(*context.global.config) : context.home.config_file();
  boost::system::error_code ec;
  if (!context.global.config && !boost::filesystem::exists(file, ec)) {
    return Config();
  }
  return Config::Load(file);
}

Result<Path> DefinitionsFolder(const CommandContext& context) {
  SUNSHINE_ASSIGN_OR_RETURN(Config config, LoadConfigIfAny(context));
  return FormDefinitionsFolder(config, context.home, context.args.Optional("definitions"));
}

JsonArray StringsJson(const std::vector<std::string>& values) {
  JsonArray array = NewJsonArray();
  for (const std::string& value : values) {
    array->add(value);
  }
  return array;
}

JsonObject FormJson(const FormDefinition& form, bool with_fields) {
  JsonObject out = NewJsonObject();
  out->set("id", form.id);
  out->set("title", form.title);
  out->set("version", form.version);
  out->set("file", form.source);
  if (!form.description.empty()) {
    out->set("description", form.description);
  }
  out->set("purposes", StringsJson(form.purposes));
  out->set("agencies", StringsJson(form.agencies));
  if (with_fields) {
    JsonArray fields = NewJsonArray();
    for (const FormFieldDefinition& field : form.fields) {
      JsonObject item = NewJsonObject();
      item->set("name", field.name);
      item->set("label", field.label);
      item->set("required", field.required);
      item->set("category", field.category);
      fields->add(item);
    }
    out->set("fields", fields);
  } else {
    out->set("fields", static_cast<std::int64_t>(form.fields.size()));
  }
  return out;
}

int RunList(CommandContext& context) {
  auto folder = DefinitionsFolder(context);
  if (!folder.ok()) {
    return context.Fail(folder.status());
  }
  std::vector<std::string> errors;
  auto catalog = FormCatalog::LoadFolder(*folder, &errors);
  if (!catalog.ok()) {
    return context.Fail(catalog.status());
  }
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("folder", folder->string());
    JsonArray forms = NewJsonArray();
    for (const FormDefinition& form : catalog->forms()) {
      forms->add(FormJson(form, false));
    }
    out->set("forms", forms);
    out->set("errors", StringsJson(errors));
    context.Out() << ToJson(out) << '\n';
  } else {
    context.Out() << std::left << std::setw(30) << "ID" << std::setw(9) << "VERSION" << std::setw(8)
                  << "FIELDS"
                  << "TITLE\n";
    for (const FormDefinition& form : catalog->forms()) {
      context.Out() << std::left << std::setw(30) << form.id << std::setw(9) << form.version
                    << std::setw(8) << form.fields.size() << form.title << '\n';
    }
    context.Note(std::to_string(catalog->forms().size()) + " form definition(s) in " +
                 folder->string());
  }
  for (const std::string& error : errors) {
    context.Err() << "sunshine: invalid form definition: " << error << '\n';
  }
  return errors.empty() ? kExitOk : kExitProblems;
}

int RunShow(CommandContext& context) {
  if (context.args.positionals().size() != 1) {
    return context.UsageError("forms show needs exactly one FORM_ID");
  }
  const std::string& id = context.args.positionals().front();
  auto folder = DefinitionsFolder(context);
  if (!folder.ok()) {
    return context.Fail(folder.status());
  }
  std::vector<std::string> errors;
  auto catalog = FormCatalog::LoadFolder(*folder, &errors);
  if (!catalog.ok()) {
    return context.Fail(catalog.status());
  }
  const FormDefinition* form = catalog->Find(id);
  if (form == nullptr) {
    return context.Fail(Status::NotFound("no form definition with id '" + id + "' in " +
                                         folder->string() +
                                         (errors.empty() ? ""
                                                         : " (some definitions are "
                                                           "invalid: run 'sunshine forms "
                                                           "check')")));
  }
  if (context.global.json) {
    context.Out() << ToJson(FormJson(*form, true)) << '\n';
    return kExitOk;
  }
  std::ostream& out = context.Out();
  out << form->title << '\n'
      << "  id:       " << form->id << '\n'
      << "  version:  " << form->version << '\n'
      << "  file:     " << form->source << '\n';
  if (!form->description.empty()) {
    out << "  about:    " << form->description << '\n';
  }
  out << "  purposes the person authorises:\n";
  for (const std::string& purpose : form->purposes) {
    out << "    - " << purpose << '\n';
  }
  out << "  agencies an inquiry relates to:" << (form->agencies.empty() ? " (none)" : "") << '\n';
  for (const std::string& agency : form->agencies) {
    out << "    - " << agency << '\n';
  }
  out << "  fields:\n";
  out << "    " << std::left << std::setw(24) << "NAME" << std::setw(10) << "REQUIRED"
      << std::setw(16) << "CATEGORY"
      << "LABEL\n";
  for (const FormFieldDefinition& field : form->fields) {
    out << "    " << std::left << std::setw(24) << field.name << std::setw(10)
        << (field.required ? "yes" : "no") << std::setw(16) << field.category << field.label
        << '\n';
  }
  return kExitOk;
}

int RunCheck(CommandContext& context) {
  std::vector<std::string> errors;
  std::vector<std::string> checked;
  std::string where;
  if (!context.args.positionals().empty()) {
    where = "the given file(s)";
    for (const std::string& file : context.args.positionals()) {
      auto form = LoadFormDefinitionFile(Path(file));
      if (form.ok()) {
        checked.push_back(form->id);
      } else {
        errors.push_back(form.status().message());
      }
    }
  } else {
    auto folder = DefinitionsFolder(context);
    if (!folder.ok()) {
      return context.Fail(folder.status());
    }
    where = folder->string();
    auto catalog = FormCatalog::LoadFolder(*folder, &errors);
    if (!catalog.ok()) {
      return context.Fail(catalog.status());
    }
    for (const FormDefinition& form : catalog->forms()) {
      checked.push_back(form.id);
    }
  }
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("ok", errors.empty());
    out->set("where", where);
    out->set("valid", static_cast<std::int64_t>(checked.size()));
    out->set("forms", StringsJson(checked));
    out->set("errors", StringsJson(errors));
    context.Out() << ToJson(out) << '\n';
  } else {
    for (const std::string& error : errors) {
      context.Out() << "INVALID " << error << '\n';
    }
    context.Out() << (errors.empty() ? "OK: " : "FAILED: ") << checked.size()
                  << " valid form definition(s), " << errors.size() << " invalid, in " << where
                  << '\n';
  }
  return errors.empty() ? kExitOk : kExitProblems;
}

}  // namespace

std::vector<CommandSpec> FormsCommands() {
  return {
      {"forms list", "list the web-form definitions", "[--definitions DIR] [--json]",
       "Lists the form definitions (TOML, docs/formats/form-definition.md) in the folder set\n"
       "by forms.definitions (default HOME/forms). Invalid files are reported on stderr with\n"
       "file, line and key, and make the exit status 1.",
       StoreAccess::kNone, DefinitionsOption, RunList},
      {"forms show", "show one form definition: purposes, agencies, fields",
       "FORM_ID [--definitions DIR] [--json]",
       "Shows what the form asks for: each field with its label, whether it is required and\n"
       "its personal-data category, the purposes the person authorises and the agencies an\n"
       "inquiry on the form relates to (which inter-agency sharing relies on).",
       StoreAccess::kNone, DefinitionsOption, RunShow},
      {"forms check", "validate form definitions (exit 1 naming file, line and key)",
       "[FILE...] [--definitions DIR] [--json]",
       "Validates every definition in the folder (or the given files): TOML syntax, required\n"
       "keys, value types, field names and categories, duplicate fields and form ids. Each\n"
       "problem is printed as FILE:LINE: key 'KEY': what is wrong. Exit status 1 if any\n"
       "definition is invalid; `sunshine import forms` refuses to run until they all pass.",
       StoreAccess::kNone, DefinitionsOption, RunCheck},
  };
}

}  // namespace sunshine
