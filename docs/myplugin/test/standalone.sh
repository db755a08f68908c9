# The guide's standalone commands, run by guide.test.ts in this folder, against the fake API (test/serve.ts).
# --- describe ---
npm run build
./run.sh --help
./run.sh plugin-info '{}' 3>&1
# --- connection ---
CONNECTION='{"id": 1, "name": "local", "url": "http://127.0.0.1:8080", "token": "guide-secret-token"}'
./run.sh test-connection '{}' "$CONNECTION" 3>&1
./run.sh remote-scopes '{}' "$CONNECTION" '""' 3>&1
./run.sh remote-scopes '{}' "$CONNECTION" '"all"' 3>&1
# --- run ---
CTX='{
  "db_url": "sqlite:///tmp/myplugin.db",
  "connection": {"id": 1, "name": "local", "url": "http://127.0.0.1:8080", "token": "guide-secret-token"},
  "scope": {"id": "p1", "name": "Project 1", "url": "http://127.0.0.1:8080/projects/p1"},
  "scope_config": null
}'
./run.sh migrate '{}' "$CTX"
for stream in issues comments; do
  for subtask in collect extract convert; do
    ./run.sh $subtask '{}' "$CTX" "\"$stream\"" 3>&1
  done
done
# --- debug ---
TSDEVLAKE_INSPECT=9229 ./run.sh collect '{}' "$CTX" '"issues"' 3>&1
# --- end ---
