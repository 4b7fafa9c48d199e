on error ignore
set create_config = false
:check-policy:
config_id = blockchain get config where company=!company_name and node_type=!node_type bring.first [*][id]
if !config_id then goto config-policy
if not !config_id and !create_config == true then goto declare-policy-error

:prepare-new-policy:
new_policy = ""
set policy new_policy [config] = {}
set policy new_policy [config][name] = !config_name
set policy new_policy [config][company] = !company_name
set policy new_policy [config][node_type] = !node_type
set policy new_policy [config][ip] = '!overlay_ip'
set policy new_policy [config][port] = '!anylog_server_port.int'
set policy new_policy [config][tcp_bind] = '!tcp_bind.bool'
set policy new_policy [config][rest_port] = '!anylog_rest_port.int'
set policy new_policy [config][rest_bind] = '!tcp_bind.bool'
<set policy new_policy [config][script] = [
    "process !local_scripts_dir/node_policy.al",
    "run scheduler 1",
    "schedule name = ping and time = 1 hour task get status"
]>
blockchain prepare policy !new_policy
blockchain insert where policy=!new_policy and local=true
set create_config = true
goto check-policy

:config-policy:
on error goto config-policy-error
config from policy where id = !config_id
end script

:config-policy-error:
print "Failed to configure node from config policy"
exit scripts

:declare-policy-error:
print "Failed to declare config policy"
exit scripts
