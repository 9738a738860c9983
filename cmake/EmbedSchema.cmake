# Generates schema_embedded.{h,cc} from engine/store/schema/NNNN_name.sql at configure time,
# so the binary carries its migrations and needs no data files at run time.
function(sunshine_embed_schema out_dir)
  file(GLOB sql_files CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/engine/store/schema/*.sql")
  list(SORT sql_files)
  set(body "")
  foreach(sql_file IN LISTS sql_files)
    get_filename_component(base "${sql_file}" NAME_WE)
    string(REGEX MATCH "^([0-9]+)_(.*)$" _ "${base}")
    set(version "${CMAKE_MATCH_1}")
    set(name "${CMAKE_MATCH_2}")
    math(EXPR version "${version} + 0")
    file(READ "${sql_file}" sql)
    string(APPEND body "    {${version}, \"${name}\", R\"sunshine_sql(${sql})sunshine_sql\"},\n")
  endforeach()
  file(WRITE "${out_dir}/schema_embedded.h.tmp"
       "#pragma once\n#include <vector>\n#include \"engine/store/migrations.h\"\n"
       "namespace sunshine {\nconst std::vector<Migration>& EmbeddedMigrations();\n}\n")
  file(WRITE "${out_dir}/schema_embedded.cc.tmp"
       "#include \"engine/store/schema_embedded.h\"\nnamespace sunshine {\n"
       "const std::vector<Migration>& EmbeddedMigrations() {\n"
       "  static const std::vector<Migration> kAll = {\n${body}  };\n  return kAll;\n}\n}\n")
  configure_file("${out_dir}/schema_embedded.h.tmp" "${out_dir}/engine/store/schema_embedded.h" COPYONLY)
  configure_file("${out_dir}/schema_embedded.cc.tmp" "${out_dir}/engine/store/schema_embedded.cc" COPYONLY)
  set_property(DIRECTORY "${CMAKE_SOURCE_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${sql_files})
endfunction()
