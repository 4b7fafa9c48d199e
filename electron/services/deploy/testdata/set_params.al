on error ignore
set node_type = $NODE_TYPE
set node_name = $NODE_NAME
set company_name = $COMPANY_NAME
set anylog_server_port = $ANYLOG_SERVER_PORT
set anylog_rest_port = $ANYLOG_REST_PORT
set tcp_bind = $TCP_BIND
set overlay_ip = $OVERLAY_IP
set tcp_threads = 6
set rest_threads = 6
set blockchain_destination = file
env_ledger = $LEDGER_CONN
ledger_ip = python !env_ledger.split(":")[0]
config_name = !node_type.name + - + !company_name.name + -configs
loc_info = rest get where url = https://ipinfo.io/json
if !loc_info then loc = from !loc_info bring [loc]
if not !loc then loc = "0.0, 0.0"
