#!/usr/bin/env bash
# The NAT lab: real Dure nodes behind real NAT routers, all inside network namespaces of its own.
#
#   internet   203.0.113.0/24 (documentation range): R, the bootstrap/relay node (help others on),
#              at 203.0.113.1; the WAN sides of the two home routers
#   routerA    WAN 203.0.113.2, LAN 192.168.1.1, NAT (iptables MASQUERADE)  ->  homeA 192.168.1.2: A
#   routerB    WAN 203.0.113.3, LAN 192.168.2.1, NAT                        ->  homeB 192.168.2.2: B
#
# The routers behave like home routers: outgoing connections are translated, keeping the source
# port when it is free, so one inside port maps to one outside port whatever the destination
# (endpoint-independent mapping); only replies come in (the filter depends on address and port),
# and unsolicited packets are dropped silently. With --nat symmetric the mapping takes a random
# port per connection (MASQUERADE --random-fully): the port seen by R is not the one another peer
# would see, so a hole punch must fail, cleanly, and the relay keep carrying the connection.
#
# Rounds (per NAT type): A and B start with R as their only DHT bootstrap peer (R serves the DHT:
# it helps others and has a public address), and reserve a relay slot on R, found among their
# bootstrap peers (they have no public address; nobody tells them to connect to R). A publishes in
# the DHT where it can be reached (its relayed address) and makes an invite that carries only its
# peer ID; B accepts it: B knows no address of A and finds it through the DHT (R), joins over the
# relay, B and A punch a hole (DCUtR) and move to the direct connection (eim) or stay on the relay
# (symmetric); a page syncs either way. Then (eim) a partition: homeA's uplink is cut silently
# (packets dropped, no RST) for --partition seconds while both sides edit; the time from the heal
# until both have both edits is measured (target: 3 s). Then A's home is renumbered (the router
# gets a new public address) and B must find A again and sync.
#
# Needs root (namespaces, NAT). Installs iproute2, iptables, conntrack and jq with apt-get when
# missing. Never touches the machine's own interfaces: every link is created inside the lab's
# namespaces, which have no route out. The last line is `OK ...` or `FAIL: reason`.
#
# Usage: scripts/nat-lab.sh [--nat eim|symmetric|all] [--partition SECONDS] [--bench TRIES]
#                           [--keep] [--logs DIR]
#   --nat        which NAT type(s) to run (default all)
#   --partition  length of the silent cut (default 20; 0 skips the partition round)
#   --bench N    also try N times per NAT type: B restarts knowing no address of A, the routers
#                forget their mappings, B runs `connect A_PEER_ID` (found through the DHT); prints
#                the hole-punch success rate and the seconds from the connect to a direct
#                connection
#   --keep       leave the namespaces and nodes running at the end (for a look around)
#   --logs DIR   keep the nodes' data and logs there (default: a temporary directory)
# Environment: DURE_JAR  the dure.jar to run (default web-ui/target/dure.jar, built if missing)
#              DURE_LAB_JAVA_OPTS  more JVM options for the nodes (e.g.
#              -Dlogback.configurationFile=FILE for debug logs)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
NAT_TYPES="eim symmetric"
PARTITION=20
BENCH=0
KEEP=0
LOGS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --nat)
      case "$2" in
        eim | symmetric) NAT_TYPES="$2" ;;
        all) NAT_TYPES="eim symmetric" ;;
        *) echo "FAIL: --nat takes eim, symmetric or all" && exit 2 ;;
      esac
      shift 2
      ;;
    --partition) PARTITION="$2" && shift 2 ;;
    --bench) BENCH="$2" && shift 2 ;;
    --keep) KEEP=1 && shift ;;
    --logs) LOGS="$2" && shift 2 ;;
    -h | --help) sed -n '2,43p' "$0" && exit 0 ;;
    *) echo "FAIL: unknown option $1" && exit 2 ;;
  esac
done

log() { echo "nat-lab: $(date +%H:%M:%S.%3N) $*" >&2; }
fail() {
  echo "FAIL: $*"
  exit 1
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

[ "$(id -u)" = 0 ] || fail "the NAT lab needs root (network namespaces and NAT rules)"

# --------------------------------------------------------------------------- tools

need=""
command -v ip >/dev/null 2>&1 || need="$need iproute2"
command -v iptables >/dev/null 2>&1 || need="$need iptables"
command -v conntrack >/dev/null 2>&1 || need="$need conntrack"
command -v jq >/dev/null 2>&1 || need="$need jq"
command -v curl >/dev/null 2>&1 || need="$need curl"
if [ -n "$need" ]; then
  log "installing$need"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get install -y -qq $need || { apt-get update -qq && apt-get install -y -qq $need; }; } \
    >/dev/null 2>&1 || fail "cannot install$need (apt-get)"
fi

. "$ROOT/scripts/find-java.sh" >/dev/null || fail "no JDK 21+ (scripts/find-java.sh)"
JAR="${DURE_JAR:-$ROOT/web-ui/target/dure.jar}"
if [ ! -f "$JAR" ]; then
  log "building dure.jar"
  (cd "$ROOT" && mvn -B -q -DskipTests -Dspotless.check.skip=true -pl web-ui -am package) \
    >/dev/null 2>&1 || fail "cannot build dure.jar (mvn package)"
fi
export DURE_JAR="$JAR"
# No node in the lab asks a router for a port mapping (there is none to ask) and none uses much
# memory.
export DURE_JAVA_OPTS="-Ddure.portMapping=false -Xmx384m -XX:+UseSerialGC ${DURE_LAB_JAVA_OPTS:-}"
# Never the public DHT bootstrap peer (the namespaces have no route to it anyway).
export DURE_NO_PUBLIC_BOOTSTRAP=1

# --------------------------------------------------------------------------- namespaces

# Namespaces are named after this script's process ID; those of an earlier run whose process is
# gone are removed first (a run killed before its cleanup).
ID="$$"
P="dnl${ID}"
NS_I="${P}i"
NS_RA="${P}ra"
NS_RB="${P}rb"
NS_A="${P}ha"
NS_B="${P}hb"
for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
  case "$ns" in
    dnl[0-9]*)
      pid="$(echo "$ns" | sed -E 's/^dnl([0-9]+).*/\1/')"
      kill -0 "$pid" 2>/dev/null || ip netns del "$ns" 2>/dev/null || true
      ;;
  esac
done

WORK="${LOGS:-$(mktemp -d /tmp/dure-nat-lab.XXXXXX)}"
mkdir -p "$WORK"
cleanup() {
  status=$?
  local PIDS=""
  [ -f "$WORK/pids" ] && PIDS="$(cat "$WORK/pids")"
  if [ "$KEEP" = 1 ]; then
    log "kept: namespaces ${P}*, data and logs in $WORK"
    return
  fi
  for pid in $PIDS; do
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  local i pid alive
  for i in 1 2 3 4 5 6 7 8 9 10; do
    alive=0
    for pid in $PIDS; do
      kill -0 -- "-$pid" 2>/dev/null && alive=1
    done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  for pid in $PIDS; do
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  for ns in "$NS_A" "$NS_B" "$NS_RA" "$NS_RB" "$NS_I"; do
    ip netns del "$ns" 2>/dev/null || true
  done
  if [ -z "$LOGS" ] && [ "$status" = 0 ]; then
    rm -rf "$WORK"
  elif [ "$status" != 0 ]; then
    log "logs kept in $WORK"
  fi
}
trap cleanup EXIT

in_ns() {
  local ns="$1"
  shift
  ip netns exec "$ns" "$@"
}

build_net() {
  for ns in "$NS_I" "$NS_RA" "$NS_RB" "$NS_A" "$NS_B"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
  done
  # The internet: one bridge with R's address, the routers' WAN ports plugged into it.
  ip -n "$NS_I" link add br0 type bridge
  ip -n "$NS_I" addr add 203.0.113.1/24 dev br0
  ip -n "$NS_I" link set br0 up
  local side
  for side in a b; do
    local r ns_r ns_h lan wan host
    if [ "$side" = a ]; then
      ns_r="$NS_RA" ns_h="$NS_A" wan=203.0.113.2 lan=192.168.1 host=2
    else
      ns_r="$NS_RB" ns_h="$NS_B" wan=203.0.113.3 lan=192.168.2 host=2
    fi
    ip link add "w$side$ID" netns "$NS_I" type veth peer name wan netns "$ns_r"
    ip -n "$NS_I" link set "w$side$ID" master br0 up
    ip -n "$ns_r" addr add "$wan/24" dev wan
    ip -n "$ns_r" link set wan up
    ip link add lan netns "$ns_r" type veth peer name eth0 netns "$ns_h"
    ip -n "$ns_r" addr add "$lan.1/24" dev lan
    ip -n "$ns_r" link set lan up
    ip -n "$ns_h" addr add "$lan.$host/24" dev eth0
    ip -n "$ns_h" link set eth0 up
    ip -n "$ns_h" route add default via "$lan.1"
    in_ns "$ns_r" sysctl -qw net.ipv4.ip_forward=1
    # A home router's firewall: replies in, nothing unsolicited (dropped, not refused).
    in_ns "$ns_r" iptables -P FORWARD DROP
    in_ns "$ns_r" iptables -A FORWARD -i lan -o wan -j ACCEPT
    in_ns "$ns_r" iptables -A FORWARD -i wan -o lan -m conntrack --ctstate ESTABLISHED,RELATED \
      -j ACCEPT
    in_ns "$ns_r" iptables -A INPUT -i wan -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
    in_ns "$ns_r" iptables -A INPUT -i wan -j DROP
  done
}

# eim: keep the source port (one mapping per inside address and port); symmetric: a random port
# for every connection.
set_nat() {
  local ns
  for ns in "$NS_RA" "$NS_RB"; do
    in_ns "$ns" iptables -t nat -F POSTROUTING
    if [ "$1" = symmetric ]; then
      in_ns "$ns" iptables -t nat -A POSTROUTING -o wan -j MASQUERADE --random-fully
    else
      in_ns "$ns" iptables -t nat -A POSTROUTING -o wan -j MASQUERADE
    fi
    in_ns "$ns" conntrack -F >/dev/null 2>&1 || true
  done
}

# --------------------------------------------------------------------------- nodes

# start NAME NAMESPACE LISTEN [extra options]
start_node() {
  local name="$1" ns="$2" listen="$3"
  shift 3
  local dir="$WORK/$name"
  mkdir -p "$dir"
  setsid ip netns exec "$ns" "$ROOT/dure" --data "$dir" --headless --no-lan --port 0 \
    --listen "$listen" "$@" >>"$WORK/$name.log" 2>&1 </dev/null &
  # In files, not variables: a node (re)started inside $(...) (a bench try) must be stopped by the
  # next try and by the cleanup.
  echo "$!" >"$WORK/pid.$name"
  echo "$!" >>"$WORK/pids"
}

# stop_node NAME: stops the node (SIGTERM to its process group) and waits until it is gone
stop_node() {
  local pid
  pid="$(cat "$WORK/pid.$1")"
  kill -TERM -- "-$pid" 2>/dev/null || true
  local i
  for i in $(seq 1 40); do
    kill -0 -- "-$pid" 2>/dev/null || return 0
    sleep 0.25
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
}

# cli NAME NAMESPACE ARGS...: the command line, inside the node's namespace
cli() {
  local name="$1" ns="$2"
  shift 2
  in_ns "$ns" "$ROOT/dure" --data "$WORK/$name" "$@"
}

# api NAME NAMESPACE METHOD PATH [JSON]: the node's local API (what the command line uses), for
# the polls whose timing matters (a command starts a JVM each time)
api() {
  local name="$1" ns="$2" method="$3" path="$4" body="${5:-}"
  local dir="$WORK/$name"
  local url token
  url="$(jq -r .api "$dir/node.json")" # e.g. http://127.0.0.1:PORT/api/
  token="$(cat "$dir/api-token")"
  path="${path#/api/}"
  if [ -n "$body" ]; then
    in_ns "$ns" curl -sS --fail-with-body -m 40 -X "$method" \
      -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data "$body" \
      "${url%/}/$path"
  else
    in_ns "$ns" curl -sS --fail-with-body -m 10 -X "$method" -H "Authorization: Bearer $token" \
      "${url%/}/$path"
  fi
}

wait_online() {
  local name="$1" ns="$2" end=$((SECONDS + 90))
  while [ $SECONDS -lt $end ]; do
    if [ -f "$WORK/$name/node.json" ] \
      && [ "$(api "$name" "$ns" GET /api/status 2>/dev/null | jq -r .online 2>/dev/null)" = true ]; then
      return 0
    fi
    sleep 0.5
  done
  fail "$name did not come online (log: $WORK/$name.log)"
}

peer_id() { api "$1" "$2" GET /api/status | jq -r .peerId; }

# kind NAME NAMESPACE PEER: how NAME is connected to PEER now (direct, relayed, hole-punched, or
# empty); a direct or hole-punched connection wins over a relayed one
kind() {
  api "$1" "$2" GET /api/peers 2>/dev/null \
    | jq -r --arg p "$3" '[.[] | select(.peerId == $p) | .kind] | if index("hole-punched") then
        "hole-punched" elif index("direct") then "direct" elif length > 0 then .[0] else "" end'
}

page() {
  api "$1" "$2" GET "/api/page?space=Lab&title=Notes" 2>/dev/null | jq -r '.body // empty'
}

put_page() { # and remember what every node should end up with
  api "$1" "$2" PUT "/api/page?space=Lab&title=Notes" "$(jq -n --arg b "$3" '{body: $b}')" \
    >/dev/null
  EXPECT="$3"
}

# wait_until SECONDS DESCRIPTION COMMAND...: polls every 0.1 s
wait_until() {
  local limit="$1" what="$2"
  shift 2
  local end
  end="$(awk -v n="$(now)" -v l="$limit" 'BEGIN { printf "%.3f", n + l }')"
  while ! "$@"; do
    if awk -v n="$(now)" -v e="$end" 'BEGIN { exit !(n > e) }'; then
      return 1
    fi
    sleep 0.1
  done
}

# --------------------------------------------------------------------------- rounds

build_net
CURRENT_NAT="${NAT_TYPES%% *}"
set_nat "$CURRENT_NAT"
log "namespaces ${P}*: internet 203.0.113.0/24, homes 192.168.1.0/24 and 192.168.2.0/24"

for n in r a b; do
  mkdir -p "$WORK/$n"
done
# Before the nodes start (in parallel, each command is a JVM): R relays and answers AutoNAT for
# anyone, a public helper; nobody asks a router for a port mapping.
cli r "$NS_I" settings consent.helpOthers=true network.portMapping=false >/dev/null &
s_r=$!
cli a "$NS_A" settings network.portMapping=false >/dev/null &
s_a=$!
cli b "$NS_B" settings network.portMapping=false >/dev/null &
s_b=$!
wait "$s_r" && wait "$s_a" && wait "$s_b" || fail "cannot change the nodes' settings"
R_ID="$(cli r "$NS_I" status | sed -n 's/^peer ID: //p')"
[ -n "$R_ID" ] || fail "R has no peer ID"
R_ADDR="/ip4/203.0.113.1/tcp/4001/p2p/$R_ID"
# R is the only bootstrap peer of A and B: the only common ground they have.
BOOT=(--bootstrap none --bootstrap "$R_ADDR")
start_node r "$NS_I" /ip4/203.0.113.1/tcp/4001 --bootstrap none
wait_online r "$NS_I"
start_node a "$NS_A" /ip4/0.0.0.0/tcp/4001 "${BOOT[@]}"
start_node b "$NS_B" /ip4/0.0.0.0/tcp/4001 "${BOOT[@]}"
wait_online a "$NS_A"
wait_online b "$NS_B"
A_ID="$(peer_id a "$NS_A")"
B_ID="$(peer_id b "$NS_B")"
log "R $R_ID, A $A_ID, B $B_ID"

# Nobody tells A to connect to R: it finds its relay among its bootstrap peers, then publishes its
# relayed address in the DHT.
has_relay_addr() { grep -q "Reachable through relay $R_ID" "$WORK/a.log"; }
wait_until 30 "A reserves on R" has_relay_addr || fail "A holds no relay reservation on R"
published() { grep -q "DHT: published where this node can be reached.*p2p-circuit" "$WORK/a.log"; }
wait_until 30 "A publishes its relayed address" published \
  || fail "A did not publish its relayed address in the DHT"

cli a "$NS_A" space create Lab >/dev/null || fail "A cannot create a space"
put_page a "$NS_A" "first line from A"

# invite_addresses LINK: how many addresses the invite carries (see InviteLink: version byte,
# peer ID length and bytes, then the number of addresses)
invite_addresses() {
  local b64="${1#dure:invite/}"
  b64="$(printf '%s' "$b64" | tr '_-' '/+')"
  while [ $((${#b64} % 4)) != 0 ]; do b64="$b64="; done
  local bytes
  read -r -a bytes <<<"$(printf '%s' "$b64" | base64 -d 2>/dev/null | od -An -tu1 -v | tr -s ' \n' '  ')"
  echo "${bytes[$((2 + bytes[1]))]}"
}

RESULTS=""
# One bench try: B stops and forgets every address it knew (its address book), the routers forget
# their mappings, B starts again and runs `connect A_ID`: found through the DHT, dialled through
# R, punched. Prints the seconds from the connect to a hole-punched connection on both sides, or
# "-" when the punch gave up (or 30 s passed).
punch_try() {
  stop_node b
  rm -f "$WORK/b/peers.txt"
  for ns in "$NS_RA" "$NS_RB"; do
    in_ns "$ns" conntrack -F >/dev/null 2>&1 || true
  done
  local la lb
  la="$(wc -l <"$WORK/a.log")"
  lb="$(wc -l <"$WORK/b.log")"
  start_node b "$NS_B" /ip4/0.0.0.0/tcp/4001 "${BOOT[@]}"
  wait_online b "$NS_B"
  booted() { tail -n +"$((lb + 1))" "$WORK/b.log" | grep -q "DHT: [1-9][0-9]* servers known"; }
  wait_until 30 "B bootstrapped" booted || true
  local start
  start="$(now)"
  api b "$NS_B" POST /api/connect "{\"address\":\"$A_ID\"}" >/dev/null 2>&1 || true
  local end=$((SECONDS + 30))
  while [ $SECONDS -lt $end ]; do
    if [ "$(kind b "$NS_B" "$A_ID")" = hole-punched ] \
      && [ "$(kind a "$NS_A" "$B_ID")" = hole-punched ]; then
      since "$start"
      return 0
    fi
    if tail -n +"$((la + 1))" "$WORK/a.log" | grep -q "Hole punching to $B_ID failed" \
      || tail -n +"$((lb + 1))" "$WORK/b.log" | grep -q "Hole punching to $A_ID failed"; then
      break
    fi
    sleep 0.1
  done
  echo "-"
}

reset_b() { # B drops its connections and the routers forget their mappings
  api b "$NS_B" PUT /api/offline '{"offline":true}' >/dev/null
  sleep 1
  for ns in "$NS_RA" "$NS_RB"; do
    in_ns "$ns" conntrack -F >/dev/null 2>&1 || true
  done
  api b "$NS_B" PUT /api/offline '{"offline":false}' >/dev/null
  wait_online b "$NS_B"
}

joined=0
for NAT in $NAT_TYPES; do
  log "---- NAT: $NAT"
  if [ "$NAT" != "$CURRENT_NAT" ]; then
    set_nat "$NAT"
    CURRENT_NAT="$NAT"
  fi
  if [ "$joined" = 1 ]; then
    reset_b
  fi
  LINES_A="$(wc -l <"$WORK/a.log")"
  LINES_B="$(wc -l <"$WORK/b.log")"
  # A's reservation survives B's reset; after a NAT change A renews it over its connection.
  if [ "$joined" = 0 ]; then
    LINK="$(cli a "$NS_A" invite create Lab --peer-id-only | grep -o 'dure:invite/[^ ]*' | head -n 1)"
    [ -n "$LINK" ] || fail "A made no invite link"
    [ "$(invite_addresses "$LINK")" = 0 ] || fail "the invite carries addresses"
    [ -z "$(api b "$NS_B" GET /api/peers | jq -r --arg p "$A_ID" '.[] | select(.peerId == $p)')" ] \
      || fail "B is connected to A before it accepted the invite"
    t0="$(now)"
    out="$(cli b "$NS_B" invite accept "$LINK" 2>&1)" || fail "B cannot accept A's invite: $out"
    joined=1
    log "B found A by its peer ID through the DHT and joined over the relay in $(since "$t0") s"
  fi
  has_latest() { [ "$(page b "$NS_B")" = "$EXPECT" ]; }
  wait_until 30 "B has A's page" has_latest || fail "B did not receive A's page ($NAT)"

  if [ "$NAT" = eim ]; then
    want_punched() { [ "$(kind b "$NS_B" "$A_ID")" = hole-punched ]; }
    t0="$(now)"
    wait_until 30 "hole punch" want_punched \
      || fail "no hole-punched connection between A and B behind EIM NATs (B sees: $(kind b "$NS_B" "$A_ID"))"
    log "A and B hole-punched to a direct connection ($(since "$t0") s after B had the page)"
    put_page a "$NS_A" "direct from A"
    sync_direct() { [ "$(page b "$NS_B")" = "direct from A" ]; }
    wait_until 10 "sync over the punched connection" sync_direct \
      || fail "the page did not sync over the hole-punched connection"
    [ "$(kind b "$NS_B" "$A_ID")" = hole-punched ] || fail "B went back to the relay"
    RESULTS="$RESULTS eim=hole-punched"

    if [ "$PARTITION" != 0 ]; then
      log "partition: cutting homeA's uplink silently for $PARTITION s while both edit"
      in_ns "$NS_RA" iptables -I FORWARD 1 -i lan -j DROP
      in_ns "$NS_RA" iptables -I FORWARD 1 -o lan -j DROP
      cut="$(now)"
      put_page a "$NS_A" "$(printf 'from A while apart\ndirect from A')"
      sleep 1
      # B edits a line of its own (the merge keeps both).
      put_page b "$NS_B" "$(printf 'direct from A\nfrom B while apart')"
      sleep "$PARTITION"
      in_ns "$NS_RA" iptables -D FORWARD -i lan -j DROP
      in_ns "$NS_RA" iptables -D FORWARD -o lan -j DROP
      heal="$(now)"
      both() {
        local x y
        x="$(page a "$NS_A")"
        y="$(page b "$NS_B")"
        [ "$x" = "$y" ] && case "$x" in *"from A while apart"*"from B while apart"*) true ;; *) false ;; esac
      }
      wait_until 60 "convergence after the heal" both || fail "A and B did not converge after the partition"
      took="$(since "$heal")"
      target="met"
      awk -v t="$took" 'BEGIN { exit !(t > 3) }' && target="missed"
      log "partition of $PARTITION s: converged $took s after the heal (target 3 s: $target)"
      RESULTS="$RESULTS heal=${took}s"
    fi

    log "renumbering A's home: its router's public address 203.0.113.2 -> 203.0.113.12"
    in_ns "$NS_RA" ip addr del 203.0.113.2/24 dev wan
    in_ns "$NS_RA" ip addr add 203.0.113.12/24 dev wan
    in_ns "$NS_RA" conntrack -F >/dev/null 2>&1 || true
    t0="$(now)"
    put_page a "$NS_A" "after the move"
    moved() { [ "$(page b "$NS_B")" = "after the move" ]; }
    wait_until 60 "B reaches A again" moved || fail "B did not reach A again after A's home moved"
    log "B reached A again and synced $(since "$t0") s after the move ($(kind b "$NS_B" "$A_ID"))"
    RESULTS="$RESULTS renumber=$(since "$t0")s"
  else
    # A symmetric NAT maps every connection to another port: the punch fails, the relay stays.
    sleep 2
    api b "$NS_B" POST /api/connect "{\"address\":\"$A_ID\"}" >/dev/null 2>&1 || true
    # The inbound side of the relayed connection runs the punch and says when it gives up.
    gave_up() {
      tail -n +"$((LINES_A + 1))" "$WORK/a.log" | grep -q "Hole punching to $B_ID failed" \
        || tail -n +"$((LINES_B + 1))" "$WORK/b.log" | grep -q "Hole punching to $A_ID failed"
    }
    settled() { gave_up && [ "$(kind b "$NS_B" "$A_ID")" = relayed ]; }
    wait_until 60 "the hole punch gives up" settled \
      || fail "behind symmetric NATs: expected a failed hole punch and a relayed connection (B sees: $(kind b "$NS_B" "$A_ID"))"
    put_page a "$NS_A" "relayed from A"
    relayed_sync() { [ "$(page b "$NS_B")" = "relayed from A" ]; }
    wait_until 20 "sync over the relay" relayed_sync || fail "the relay stopped carrying the sync"
    log "symmetric NAT: hole punching failed cleanly, the relay carries the sync"
    RESULTS="$RESULTS symmetric=relayed"
  fi

  if [ "$BENCH" -gt 0 ]; then
    ok=0
    times=""
    for i in $(seq 1 "$BENCH"); do
      t="$(punch_try)"
      if [ "$t" != "-" ]; then
        ok=$((ok + 1))
        times="$times $t"
      fi
      log "bench $NAT try $i: ${t}"
    done
    log "BENCH $NAT: hole punch $ok/$BENCH; connect-to-direct seconds:${times:- none}"
    echo "BENCH nat=$NAT punched=$ok/$BENCH times=[${times# }]" >&2
  fi
done

echo "OK$RESULTS"
