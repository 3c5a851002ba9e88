#!/usr/bin/env bash
# Bound to the root pom's validate phase: prepares the test environment (.ci/test-env.sh: Debian
# packages, a running MariaDB, npm packages) only for the test command, i.e. when the goals on the
# mvn command line include `verify` (`mvn -B verify`, which .ci/run calls). Every other build
# (`mvn package`, `mvn install`, an IDE import, `mvn -Dcomet.env.skip=true verify`) touches nothing
# outside the repository and ~/.m2; the tests that need MariaDB, PHP, Node or Chromium then skip
# (or fail when CI is set). The mvn launcher exports its arguments as MAVEN_CMD_LINE_ARGS; where
# it is unset (an embedded Maven, mvnd) nothing is prepared.
set -euo pipefail
cd "$(dirname "$0")/.."
set -f  # split the arguments into words, expand no globs
for arg in ${MAVEN_CMD_LINE_ARGS:-}; do
  if [ "$arg" = verify ]; then
    exec bash .ci/test-env.sh
  fi
done
echo "test-env: not prepared (the goals are not 'verify'; the README's test command is mvn -B verify)"
