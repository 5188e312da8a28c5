# stamp_site.cmake: the last step of the console's build (cmake -P), run after the wasm and
# the shell files are in the web root.
#   1. index.html names boot.js and console.css with the build's version (?v=<hash of the
#      site's files>); boot.js passes it on to console.js and console.wasm. The server lets
#      browsers keep versioned files for a year and revalidates index.html every time, so
#      a returning user starts from the cache and a new build is never mixed with an old.
#   2. Every text file and the wasm get a gzip copy (FILE.gz) that the server sends to
#      browsers that accept gzip.
# Inputs: -DWEB_DIR=<web root> -DINDEX_SOURCE=<index.html in the source tree>
#         -DGZIP=<gzip program>
foreach(required IN ITEMS WEB_DIR INDEX_SOURCE GZIP)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "stamp_site.cmake needs -D${required}=...")
  endif()
endforeach()

set(versioned_files console.wasm console.js boot.js console.css)
set(site_hashes "")
foreach(name IN LISTS versioned_files)
  if(NOT EXISTS "${WEB_DIR}/${name}")
    message(FATAL_ERROR "${WEB_DIR}/${name} is missing: the console's build is incomplete")
  endif()
  file(SHA256 "${WEB_DIR}/${name}" file_hash)
  string(APPEND site_hashes "${file_hash}")
endforeach()
string(SHA256 site_version "${site_hashes}")
string(SUBSTRING "${site_version}" 0 16 site_version)

file(READ "${INDEX_SOURCE}" page)
string(REPLACE "href=\"console.css\"" "href=\"console.css?v=${site_version}\"" page "${page}")
string(REPLACE "src=\"boot.js\"" "src=\"boot.js?v=${site_version}\"" page "${page}")
# Written only when it changed, so that its time (and ETag) stays for an unchanged build.
set(page_path "${WEB_DIR}/index.html")
set(old_page "")
if(EXISTS "${page_path}")
  file(READ "${page_path}" old_page)
endif()
if(NOT old_page STREQUAL page)
  file(WRITE "${page_path}" "${page}")
endif()

file(GLOB site_files "${WEB_DIR}/*.html" "${WEB_DIR}/*.js" "${WEB_DIR}/*.css" "${WEB_DIR}/*.svg"
     "${WEB_DIR}/*.wasm" "${WEB_DIR}/*.json" "${WEB_DIR}/*.jsonl")
foreach(site_file IN LISTS site_files)
  set(gzip_file "${site_file}.gz")
  if(EXISTS "${gzip_file}" AND NOT "${site_file}" IS_NEWER_THAN "${gzip_file}")
    continue()
  endif()
  # -n: no name or time inside, so the same file always gives the same bytes.
  execute_process(COMMAND "${GZIP}" -9 -n -c "${site_file}" OUTPUT_FILE "${gzip_file}" RESULT_VARIABLE gzip_result)
  if(NOT gzip_result EQUAL 0)
    file(REMOVE "${gzip_file}")
    message(FATAL_ERROR "gzip failed on ${site_file}")
  endif()
endforeach()
file(WRITE "${WEB_DIR}/site-version.txt" "${site_version}\n")
