#include "importers/forms/form_definition.h"

#include <gtest/gtest.h>

#include "tests/testutil/temp_dir.h"

namespace sunshine {
namespace {

constexpr std::string_view kGood = R"toml(# comment
id = "general-inquiry"
title = "Contact Us"
version = 2
description = "Questions for any division."
purposes = ["answer the question"]
agencies = ["Missouri Department of Revenue"]

[[fields]]
name = "first_name"
label = "First name"
required = true
category = "name"

[[fields]]
name = "message"
label = "Message"
category = "free-text"
)toml";

// Replaces the first occurrence of `from` in the good definition.
std::string GoodWith(std::string_view from, std::string_view to) {
  std::string text(kGood);
  std::size_t pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  text.replace(pos, from.size(), to);
  return text;
}

std::string ErrorOf(const std::string& text) {
  auto form = ParseFormDefinition(text, "f.toml");
  EXPECT_FALSE(form.ok());
  if (form.ok()) {
    return "";
  }
  EXPECT_EQ(form.status().code(), StatusCode::kInvalidInput);
  return form.status().message();
}

TEST(FormDefinitionTest, ParsesAGoodDefinition) {
  auto form = ParseFormDefinition(kGood, "f.toml");
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  EXPECT_EQ(form->id, "general-inquiry");
  EXPECT_EQ(form->title, "Contact Us");
  EXPECT_EQ(form->version, 2);
  EXPECT_EQ(form->description, "Questions for any division.");
  EXPECT_EQ(form->purposes, std::vector<std::string>{"answer the question"});
  EXPECT_EQ(form->agencies, std::vector<std::string>{"Missouri Department of Revenue"});
  ASSERT_EQ(form->fields.size(), 2u);
  EXPECT_EQ(form->fields[0].name, "first_name");
  EXPECT_EQ(form->fields[0].label, "First name");
  EXPECT_TRUE(form->fields[0].required);
  EXPECT_EQ(form->fields[0].category, "name");
  EXPECT_EQ(form->fields[0].line, 9);
  EXPECT_FALSE(form->fields[1].required);  // optional when not said
  EXPECT_EQ(form->fields[1].category, "free-text");
  EXPECT_EQ(form->source, "f.toml");
}

TEST(FormDefinitionTest, EmptyAgencyListIsAllowed) {
  auto form = ParseFormDefinition(GoodWith("[\"Missouri Department of Revenue\"]", "[]"), "f");
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  EXPECT_TRUE(form->agencies.empty());
}

TEST(FormDefinitionTest, InlineFieldTablesWork) {
  std::string text =
      "id = \"x\"\ntitle = \"X\"\nversion = 1\npurposes = [\"p\"]\nagencies = []\n"
      "fields = [{ name = \"email\", label = \"E-mail\", required = true, category = \"email\" "
      "}]\n";
  auto form = ParseFormDefinition(text, "f.toml");
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  EXPECT_EQ(form->fields[0].category, "email");
}

TEST(FormDefinitionTest, SyntaxErrorNamesFileLineAndColumn) {
  EXPECT_EQ(ErrorOf("id = \"x\"\ntitle = \n"),
            "f.toml:2:9: Error while parsing key-value pair: expected value, saw '\\n'");
}

TEST(FormDefinitionTest, MissingTopLevelKeys) {
  EXPECT_EQ(ErrorOf(GoodWith("id = \"general-inquiry\"\n", "")),
            "f.toml:1: key 'id': missing (it is required)");
  EXPECT_EQ(ErrorOf(GoodWith("title = \"Contact Us\"\n", "")),
            "f.toml:1: key 'title': missing (it is required)");
  EXPECT_EQ(ErrorOf(GoodWith("version = 2\n", "")),
            "f.toml:1: key 'version': missing (it is required)");
  EXPECT_EQ(ErrorOf(GoodWith("purposes = [\"answer the question\"]\n", "")),
            "f.toml:1: key 'purposes': missing (it is required)");
  EXPECT_EQ(ErrorOf(GoodWith("agencies = [\"Missouri Department of Revenue\"]\n", "")),
            "f.toml:1: key 'agencies': missing (it is required)");
}

TEST(FormDefinitionTest, WrongTypesAndValues) {
  EXPECT_EQ(ErrorOf(GoodWith("id = \"general-inquiry\"", "id = \"General Inquiry\"")),
            "f.toml:2: key 'id': 'General Inquiry' is not a valid form id (lower-case letters, "
            "digits, '-', '_' and '.', starting with a letter or digit, at most 64 characters)");
  EXPECT_EQ(ErrorOf(GoodWith("title = \"Contact Us\"", "title = 7")),
            "f.toml:3: key 'title': must be a string");
  EXPECT_EQ(ErrorOf(GoodWith("title = \"Contact Us\"", "title = \"  \"")),
            "f.toml:3: key 'title': must not be empty");
  EXPECT_EQ(ErrorOf(GoodWith("version = 2", "version = \"2\"")),
            "f.toml:4: key 'version': must be a positive whole number (the form's revision, "
            "e.g. 3)");
  EXPECT_EQ(ErrorOf(GoodWith("version = 2", "version = 0")),
            "f.toml:4: key 'version': must be a positive whole number (the form's revision, "
            "e.g. 3)");
  EXPECT_EQ(ErrorOf(GoodWith("purposes = [\"answer the question\"]", "purposes = []")),
            "f.toml:6: key 'purposes': must list at least one entry");
  EXPECT_EQ(ErrorOf(GoodWith("purposes = [\"answer the question\"]", "purposes = \"answer\"")),
            "f.toml:6: key 'purposes': must be a list of strings");
  EXPECT_EQ(ErrorOf(GoodWith("purposes = [\"answer the question\"]", "purposes = [\"a\", 3]")),
            "f.toml:6: key 'purposes[2]': must be a non-empty string");
  EXPECT_EQ(ErrorOf(GoodWith("agencies = [\"Missouri Department of Revenue\"]",
                             "agencies = [\"A\", \"A\"]")),
            "f.toml:7: key 'agencies[2]': 'A' is listed twice");
  EXPECT_EQ(ErrorOf(GoodWith("description = \"Questions for any division.\"", "description = 1")),
            "f.toml:5: key 'description': must be a string");
}

TEST(FormDefinitionTest, UnknownKeysAreErrors) {
  EXPECT_EQ(ErrorOf(GoodWith("version = 2\n", "version = 2\nurl = \"https://x\"\n")),
            "f.toml:5: key 'url': unknown key (allowed: id, title, version, description, "
            "purposes, agencies, fields)");
  EXPECT_EQ(ErrorOf(GoodWith("required = true", "requried = true")),
            "f.toml:12: key 'fields[1].requried': unknown key (allowed: name, label, required, "
            "category)");
}

TEST(FormDefinitionTest, FieldErrors) {
  EXPECT_EQ(ErrorOf(GoodWith("category = \"name\"", "category = \"phone-number\"")),
            "f.toml:13: key 'fields[1].category': unknown category 'phone-number' (allowed: "
            "name, postal-address, email, phone, date-of-birth, ssn, account-number, "
            "free-text, none)");
  EXPECT_EQ(ErrorOf(GoodWith("category = \"name\"\n", "")),
            "f.toml:9: key 'fields[1].category': missing (it is required)");
  EXPECT_EQ(ErrorOf(GoodWith("label = \"Message\"\n", "")),
            "f.toml:15: key 'fields[2].label': missing (it is required)");
  EXPECT_EQ(ErrorOf(GoodWith("required = true", "required = \"yes\"")),
            "f.toml:12: key 'fields[1].required': must be true or false");
  EXPECT_EQ(ErrorOf(GoodWith("name = \"first_name\"", "name = \"First Name\"")),
            "f.toml:10: key 'fields[1].name': 'First Name' is not a valid field name (lower-case "
            "letters, digits and '_', e.g. 'first_name')");
  EXPECT_EQ(ErrorOf(GoodWith("name = \"message\"", "name = \"first_name\"")),
            "f.toml:15: key 'fields[2].name': field 'first_name' is defined twice (first at line "
            "9)");
  EXPECT_EQ(ErrorOf(GoodWith("name = \"message\"", "name = \"submitted_at\"")),
            "f.toml:16: key 'fields[2].name': 'submitted_at' is reserved for the submission "
            "itself (reserved: form_id, submission_id, submitted_at, fields)");
}

TEST(FormDefinitionTest, FieldsMustBeThere) {
  std::string header =
      "id = \"x\"\ntitle = \"X\"\nversion = 1\npurposes = [\"p\"]\nagencies = []\n";
  EXPECT_EQ(ErrorOf(header),
            "f.toml:1: key 'fields': missing (a form asks for at least one field)");
  EXPECT_EQ(ErrorOf(header + "fields = []\n"),
            "f.toml:6: key 'fields': must list at least one field");
  EXPECT_EQ(ErrorOf(header + "fields = \"name\"\n"),
            "f.toml:6: key 'fields': must be a list of tables ([[fields]] sections)");
  EXPECT_EQ(ErrorOf(header + "fields = [\"name\"]\n"),
            "f.toml:6: key 'fields[1]': must be a table ([[fields]] with name, label, required, "
            "category)");
}

TEST(FormDefinitionTest, NormalisesSubmittedFieldNames) {
  EXPECT_EQ(NormaliseFieldName("First Name"), "first_name");
  EXPECT_EQ(NormaliseFieldName("first-name"), "first_name");
  EXPECT_EQ(NormaliseFieldName("  E-mail  address "), "e_mail_address");
  EXPECT_EQ(NormaliseFieldName("DOB"), "dob");
  auto form = ParseFormDefinition(kGood, "f.toml");
  ASSERT_TRUE(form.ok());
  EXPECT_NE(form->FindField("First Name"), nullptr);
  EXPECT_NE(form->FindField("first_name"), nullptr);
  EXPECT_EQ(form->FindField("home_phone"), nullptr);
}

TEST(FormDefinitionTest, RelatesToListedAgenciesOnly) {
  auto form = ParseFormDefinition(kGood, "f.toml");
  ASSERT_TRUE(form.ok());
  EXPECT_TRUE(form->RelatesToAgency("Missouri Department of Revenue"));
  EXPECT_TRUE(form->RelatesToAgency("  missouri department of  REVENUE "));
  EXPECT_FALSE(form->RelatesToAgency("Missouri Department of Revenue, Motor Vehicle Bureau"));
  EXPECT_FALSE(form->RelatesToAgency(""));
  auto none = ParseFormDefinition(GoodWith("[\"Missouri Department of Revenue\"]", "[]"), "f");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->RelatesToAgency("Missouri Department of Revenue"));
}

TEST(FormCatalogTest, LoadsAFolderAndReportsEachBadFile) {
  testing::TempDir dir;
  testing::WriteTextFile(dir.path() / "a.toml", std::string(kGood));
  testing::WriteTextFile(dir.path() / "b.toml", GoodWith("version = 2", "version = -1"));
  testing::WriteTextFile(dir.path() / "c.toml", std::string(kGood));  // same id as a.toml
  testing::WriteTextFile(dir.path() / "notes.txt", "not a definition");
  std::vector<std::string> errors;
  auto catalog = FormCatalog::LoadFolder(dir.path(), &errors);
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  ASSERT_EQ(catalog->forms().size(), 1u);
  EXPECT_NE(catalog->Find("general-inquiry"), nullptr);
  EXPECT_EQ(catalog->Find("nope"), nullptr);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0], (dir.path() / "b.toml").string() +
                           ":4: key 'version': must be a positive whole number (the form's "
                           "revision, e.g. 3)");
  EXPECT_EQ(errors[1], (dir.path() / "c.toml").string() +
                           ":2: key 'id': form id 'general-inquiry' is already defined in " +
                           (dir.path() / "a.toml").string());
  auto strict = FormCatalog::LoadFolderStrict(dir.path());
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(strict.status().message().substr(0, 31), "2 invalid form definition(s):\n ");
}

TEST(FormCatalogTest, MissingFolderIsNotFound) {
  testing::TempDir dir;
  std::vector<std::string> errors;
  auto catalog = FormCatalog::LoadFolder(dir.path() / "forms", &errors);
  ASSERT_FALSE(catalog.ok());
  EXPECT_EQ(catalog.status().code(), StatusCode::kNotFound);
}

TEST(FormCatalogTest, ShippedExamplesAreValid) {
  std::vector<std::string> errors;
  auto catalog = FormCatalog::LoadFolder(Path(SUNSHINE_SOURCE_DIR) / "examples" / "forms", &errors);
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  EXPECT_TRUE(errors.empty()) << errors.front();
  EXPECT_GE(catalog->forms().size(), 3u);
  const FormDefinition* business = catalog->Find("business-filing-question");
  ASSERT_NE(business, nullptr);
  EXPECT_EQ(business->agencies, std::vector<std::string>{"Missouri Department of Revenue"});
}

}  // namespace
}  // namespace sunshine
