#include "importers/forms/form_definition.h"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace sunshine {

namespace {

constexpr std::string_view kTopLevelKeys[] = {"id",       "title",    "version", "description",
                                              "purposes", "agencies", "fields"};
constexpr std::string_view kFieldKeys[] = {"name", "label", "required", "category"};
// Column and key names the submission formats use for the submission itself
// (docs/formats/form-submissions.md); a form field may not take them.
constexpr std::string_view kReservedFieldNames[] = {"form_id", "submission_id", "submitted_at",
                                                    "fields"};

Status Invalid(const std::string& source, std::int64_t line, std::string_view key,
               std::string_view message) {
  std::ostringstream out;
  out << source << ":" << line << ": key '" << key << "': " << message;
  return Status::InvalidInput(out.str());
}

std::int64_t LineOf(const toml::node& node) {
  return static_cast<std::int64_t>(node.source().begin.line);
}

template <std::size_t N>
std::string JoinKeys(const std::string_view (&keys)[N]) {
  std::string out;
  for (std::string_view key : keys) {
    out += out.empty() ? "" : ", ";
    out += key;
  }
  return out;
}

template <std::size_t N>
bool Contains(const std::string_view (&keys)[N], std::string_view key) {
  return std::find(std::begin(keys), std::end(keys), key) != std::end(keys);
}

// Unknown keys are almost always typos ("requried"); silently ignoring one would turn a
// required field optional, so they are errors.
template <std::size_t N>
Status CheckKnownKeys(const toml::table& table, const std::string_view (&allowed)[N],
                      const std::string& source, const std::string& prefix) {
  for (auto&& [key, node] : table) {
    if (!Contains(allowed, key.str())) {
      return Invalid(source, static_cast<std::int64_t>(key.source().begin.line),
                     prefix + std::string(key.str()),
                     "unknown key (allowed: " + JoinKeys(allowed) + ")");
    }
  }
  return {};
}

// A required, non-empty string value.
Result<std::string> RequiredString(const toml::table& table, std::string_view key,
                                   const std::string& source, std::int64_t table_line,
                                   const std::string& prefix) {
  const toml::node* node = table.get(key);
  std::string full_key = prefix + std::string(key);
  if (node == nullptr) {
    return Invalid(source, table_line, full_key, "missing (it is required)");
  }
  const auto* value = node->as_string();
  if (value == nullptr) {
    return Invalid(source, LineOf(*node), full_key, "must be a string");
  }
  std::string text = value->get();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Invalid(source, LineOf(*node), full_key, "must not be empty");
  }
  return text;
}

Result<std::vector<std::string>> StringList(const toml::table& table, std::string_view key,
                                            const std::string& source, bool allow_empty) {
  const toml::node* node = table.get(key);
  std::string full_key(key);
  if (node == nullptr) {
    return Invalid(source, 1, full_key, "missing (it is required)");
  }
  const auto* array = node->as_array();
  if (array == nullptr) {
    return Invalid(source, LineOf(*node), full_key, "must be a list of strings");
  }
  if (array->empty() && !allow_empty) {
    return Invalid(source, LineOf(*node), full_key, "must list at least one entry");
  }
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    std::string element_key = full_key + "[" + std::to_string(i + 1) + "]";
    const auto* value = element.as_string();
    if (value == nullptr || value->get().find_first_not_of(" \t") == std::string::npos) {
      return Invalid(source, LineOf(element), element_key, "must be a non-empty string");
    }
    if (!seen.insert(value->get()).second) {
      return Invalid(source, LineOf(element), element_key,
                     "'" + value->get() + "' is listed twice");
    }
    out.push_back(value->get());
  }
  return out;
}

bool ValidFormId(std::string_view id) {
  if (id.empty() || id.size() > 64) {
    return false;
  }
  auto lower_alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!lower_alnum(id.front())) {
    return false;
  }
  return std::all_of(id.begin(), id.end(),
                     [&](char c) { return lower_alnum(c) || c == '-' || c == '_' || c == '.'; });
}

Result<FormFieldDefinition> ParseField(const toml::node& node, std::size_t index,
                                       const std::string& source) {
  std::string prefix = "fields[" + std::to_string(index + 1) + "].";
  const toml::table* table = node.as_table();
  if (table == nullptr) {
    return Invalid(source, LineOf(node), prefix.substr(0, prefix.size() - 1),
                   "must be a table ([[fields]] with name, label, required, category)");
  }
  std::int64_t line = LineOf(node);
  SUNSHINE_RETURN_IF_ERROR(CheckKnownKeys(*table, kFieldKeys, source, prefix));
  FormFieldDefinition field;
  field.line = static_cast<int>(line);
  SUNSHINE_ASSIGN_OR_RETURN(field.name, RequiredString(*table, "name", source, line, prefix));
  if (NormaliseFieldName(field.name) != field.name) {
    return Invalid(source, LineOf(*table->get("name")), prefix + "name",
                   "'" + field.name +
                       "' is not a valid field name (lower-case letters, digits and '_', e.g. '" +
                       NormaliseFieldName(field.name) + "')");
  }
  if (Contains(kReservedFieldNames, field.name)) {
    return Invalid(source, LineOf(*table->get("name")), prefix + "name",
                   "'" + field.name + "' is reserved for the submission itself (reserved: " +
                       JoinKeys(kReservedFieldNames) + ")");
  }
  SUNSHINE_ASSIGN_OR_RETURN(field.label, RequiredString(*table, "label", source, line, prefix));
  if (const toml::node* required = table->get("required")) {
    const auto* flag = required->as_boolean();
    if (flag == nullptr) {
      return Invalid(source, LineOf(*required), prefix + "required", "must be true or false");
    }
    field.required = flag->get();
  }
  SUNSHINE_ASSIGN_OR_RETURN(field.category,
                            RequiredString(*table, "category", source, line, prefix));
  if (!IsFormFieldCategory(field.category)) {
    std::string allowed;
    for (std::string_view category : FormFieldCategories()) {
      allowed += allowed.empty() ? "" : ", ";
      allowed += category;
    }
    return Invalid(source, LineOf(*table->get("category")), prefix + "category",
                   "unknown category '" + field.category + "' (allowed: " + allowed + ")");
  }
  return field;
}

}  // namespace

const std::vector<std::string_view>& FormFieldCategories() {
  static const std::vector<std::string_view> kCategories = {
      "name", "postal-address", "email",     "phone", "date-of-birth",
      "ssn",  "account-number", "free-text", "none"};
  return kCategories;
}

bool IsFormFieldCategory(std::string_view category) {
  const auto& all = FormFieldCategories();
  return std::find(all.begin(), all.end(), category) != all.end();
}

std::string NormaliseFieldName(std::string_view name) {
  std::string out;
  bool pending_separator = false;
  for (char c : name) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) {
      pending_separator = true;
      continue;
    }
    if (pending_separator && !out.empty()) {
      out += '_';
    }
    pending_separator = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

const FormFieldDefinition* FormDefinition::FindField(std::string_view submitted_name) const {
  for (const FormFieldDefinition& field : fields) {
    if (field.name == submitted_name) {
      return &field;
    }
  }
  std::string normalised = NormaliseFieldName(submitted_name);
  for (const FormFieldDefinition& field : fields) {
    if (field.name == normalised) {
      return &field;
    }
  }
  return nullptr;
}

bool FormDefinition::RelatesToAgency(std::string_view agency) const {
  auto fold = [](std::string_view text) {
    std::string out;
    for (char c : text) {
      if (c == ' ' || c == '\t') {
        if (!out.empty() && out.back() != ' ') {
          out += ' ';
        }
        continue;
      }
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    if (!out.empty() && out.back() == ' ') {
      out.pop_back();
    }
    return out;
  };
  std::string wanted = fold(agency);
  return !wanted.empty() && std::any_of(agencies.begin(), agencies.end(),
                                        [&](const std::string& a) { return fold(a) == wanted; });
}

Result<FormDefinition> ParseFormDefinition(std::string_view text, const std::string& source) {
  toml::table table;
  try {
    table = toml::parse(text, source);
  } catch (const toml::parse_error& error) {
    std::ostringstream message;
    message << source << ":" << error.source().begin.line << ":" << error.source().begin.column
            << ": " << error.description();
    return Status::InvalidInput(message.str());
  }
  SUNSHINE_RETURN_IF_ERROR(CheckKnownKeys(table, kTopLevelKeys, source, ""));

  FormDefinition form;
  form.source = source;
  SUNSHINE_ASSIGN_OR_RETURN(form.id, RequiredString(table, "id", source, 1, ""));
  form.id_line = static_cast<int>(LineOf(*table.get("id")));
  if (!ValidFormId(form.id)) {
    return Invalid(source, LineOf(*table.get("id")), "id",
                   "'" + form.id +
                       "' is not a valid form id (lower-case letters, digits, '-', '_' and '.', "
                       "starting with a letter or digit, at most 64 characters)");
  }
  SUNSHINE_ASSIGN_OR_RETURN(form.title, RequiredString(table, "title", source, 1, ""));
  const toml::node* version = table.get("version");
  if (version == nullptr) {
    return Invalid(source, 1, "version", "missing (it is required)");
  }
  const auto* version_value = version->as_integer();
  if (version_value == nullptr || version_value->get() < 1) {
    return Invalid(source, LineOf(*version), "version",
                   "must be a positive whole number (the form's revision, e.g. 3)");
  }
  form.version = version_value->get();
  if (const toml::node* description = table.get("description")) {
    if (description->as_string() == nullptr) {
      return Invalid(source, LineOf(*description), "description", "must be a string");
    }
    form.description = description->as_string()->get();
  }
  SUNSHINE_ASSIGN_OR_RETURN(form.purposes, StringList(table, "purposes", source, false));
  // An empty agency list is allowed: it says that an inquiry on this form relates to no
  // other agency, so nothing from it may be shared with one.
  SUNSHINE_ASSIGN_OR_RETURN(form.agencies, StringList(table, "agencies", source, true));

  const toml::node* fields = table.get("fields");
  if (fields == nullptr) {
    return Invalid(source, 1, "fields", "missing (a form asks for at least one field)");
  }
  const auto* array = fields->as_array();
  if (array == nullptr) {
    return Invalid(source, LineOf(*fields), "fields",
                   "must be a list of tables ([[fields]] sections)");
  }
  if (array->empty()) {
    return Invalid(source, LineOf(*fields), "fields", "must list at least one field");
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    SUNSHINE_ASSIGN_OR_RETURN(FormFieldDefinition field, ParseField(*array->get(i), i, source));
    for (const FormFieldDefinition& earlier : form.fields) {
      if (earlier.name == field.name) {
        return Invalid(source, field.line, "fields[" + std::to_string(i + 1) + "].name",
                       "field '" + field.name + "' is defined twice (first at line " +
                           std::to_string(earlier.line) + ")");
      }
    }
    form.fields.push_back(std::move(field));
  }
  return form;
}

Result<FormDefinition> LoadFormDefinitionFile(const Path& file) {
  std::ifstream in(file.string(), std::ios::binary);
  if (!in) {
    return Status::IoError("cannot read form definition " + file.string());
  }
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return Status::IoError("cannot read form definition " + file.string());
  }
  return ParseFormDefinition(text.str(), file.string());
}

Result<FormCatalog> FormCatalog::LoadFolder(const Path& folder, std::vector<std::string>* errors) {
  boost::system::error_code ec;
  if (!boost::filesystem::is_directory(folder, ec)) {
    return Status::NotFound("form definitions folder " + folder.string() +
                            " does not exist (set forms.definitions in sunshine.toml; examples "
                            "are in examples/forms/)");
  }
  std::vector<Path> files;
  for (boost::filesystem::directory_iterator it(folder, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().extension() == ".toml" && boost::filesystem::is_regular_file(it->path(), ec)) {
      files.push_back(it->path());
    }
  }
  if (ec) {
    return Status::IoError("cannot list " + folder.string() + ": " + ec.message());
  }
  std::sort(files.begin(), files.end());
  FormCatalog catalog;
  for (const Path& file : files) {
    auto form = LoadFormDefinitionFile(file);
    if (!form.ok()) {
      errors->push_back(form.status().message());
      continue;
    }
    if (const FormDefinition* other = catalog.Find(form->id)) {
      // The later file is refused and the load reported invalid: which definition the office
      // meant is not ours to guess.
      errors->push_back(file.string() + ":" + std::to_string(form->id_line) +
                        ": key 'id': form id '" + form->id + "' is already defined in " +
                        other->source);
      continue;
    }
    catalog.Add(std::move(form).value());
  }
  return catalog;
}

Result<FormCatalog> FormCatalog::LoadFolderStrict(const Path& folder) {
  std::vector<std::string> errors;
  SUNSHINE_ASSIGN_OR_RETURN(FormCatalog catalog, LoadFolder(folder, &errors));
  if (!errors.empty()) {
    std::string message = std::to_string(errors.size()) + " invalid form definition(s):";
    for (const std::string& error : errors) {
      message += "\n  " + error;
    }
    return Status::InvalidInput(message);
  }
  return catalog;
}

Result<Path> FormDefinitionsFolder(const Config& config, const Home& home,
                                   const std::optional<std::string>& override_folder) {
  if (override_folder) {
    return Path(*override_folder);
  }
  SUNSHINE_ASSIGN_OR_RETURN(std::string configured, config.String("forms.definitions", "forms"));
  return home.Resolve(configured);
}

const FormDefinition* FormCatalog::Find(std::string_view form_id) const {
  for (const FormDefinition& form : forms_) {
    if (form.id == form_id) {
      return &form;
    }
  }
  return nullptr;
}

}  // namespace sunshine
