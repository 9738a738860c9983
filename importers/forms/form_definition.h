// Web-form definitions: one TOML file per form (docs/formats/form-definition.md), loaded
// from the folder named by the configuration key `forms.definitions`. A definition says
// which fields the form asks for, which of them are required, what kind of personal data
// each holds, the purposes the person authorised and the agencies an inquiry on the form
// relates to. The importer marks every other submitted value as unrequested; redaction and
// inter-agency sharing rely on both.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/path.h"
#include "engine/core/result.h"
#include "engine/store/config.h"
#include "engine/store/home.h"

namespace sunshine {

// The personal-data categories a field may hold, in documentation order.
const std::vector<std::string_view>& FormFieldCategories();
bool IsFormFieldCategory(std::string_view category);

struct FormFieldDefinition {
  std::string name;   // as submitted: "first_name"
  std::string label;  // as shown on the form: "First name"
  bool required = false;
  std::string category = "none";
  int line = 0;  // where the field's table starts in the definition file
};

struct FormDefinition {
  std::string id;  // "general-inquiry"
  std::string title;
  std::int64_t version = 1;  // the form's own revision number
  std::string description;   // optional
  std::vector<std::string> purposes;
  std::vector<std::string> agencies;
  std::vector<FormFieldDefinition> fields;
  std::string source;  // the file it came from
  int id_line = 1;     // where `id` is set in that file

  // The field a submitted name refers to (exact name first, then the normalised spelling,
  // see NormaliseFieldName), or nullptr if the form does not ask for it.
  const FormFieldDefinition* FindField(std::string_view submitted_name) const;

  // True if `agency` is one of `agencies`, compared without regard to case and runs of
  // spaces ("missouri department of  revenue" matches). Inter-agency sharing asks this.
  bool RelatesToAgency(std::string_view agency) const;
};

// Lower-case ASCII, runs of anything but letters and digits become one '_', trimmed:
// "First Name" and "first-name" both become "first_name".
std::string NormaliseFieldName(std::string_view name);

// Parses and validates one definition. Errors are InvalidInput
// "SOURCE:LINE: key 'KEY': what is wrong" (or "SOURCE:LINE:COL: ..." for TOML syntax).
// Pure: no file access.
Result<FormDefinition> ParseFormDefinition(std::string_view text, const std::string& source);
Result<FormDefinition> LoadFormDefinitionFile(const Path& file);

// The folder holding the definitions: `override` if given, else the configuration key
// `forms.definitions` (default "forms"), relative paths taken from the home directory.
Result<Path> FormDefinitionsFolder(const Config& config, const Home& home,
                                   const std::optional<std::string>& override_folder);

// All definitions of a folder (*.toml, sorted by file name).
class FormCatalog {
 public:
  // Loads every definition; `errors` receives one message per invalid file (and per form id
  // defined twice). NotFound if the folder does not exist.
  static Result<FormCatalog> LoadFolder(const Path& folder, std::vector<std::string>* errors);
  // Like LoadFolder, but any invalid definition fails the whole load with all messages.
  static Result<FormCatalog> LoadFolderStrict(const Path& folder);

  void Add(FormDefinition definition) { forms_.push_back(std::move(definition)); }
  const FormDefinition* Find(std::string_view form_id) const;
  const std::vector<FormDefinition>& forms() const { return forms_; }

 private:
  std::vector<FormDefinition> forms_;
};

}  // namespace sunshine
