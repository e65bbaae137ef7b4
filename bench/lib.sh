# Sourced by the HTTP benchmarks (http.sh, https.sh): a work directory that every
# reader may enter (servers drop privileges), removed at exit together with every
# server whose pid was pushed onto `pids`.
bench_workdir() { # PREFIX: sets $work and $pids
  work=$(mktemp -d "/tmp/$1.XXXXXX")
  pids=()
  trap bench_cleanup EXIT INT TERM
  chmod 755 "$work"
}

bench_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
