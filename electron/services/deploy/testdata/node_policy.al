on error ignore
set create_policy = false
:check-policy:
if !tcp_bind == true and !overlay_ip then
<do is_policy = blockchain get !node_type where
    company=!company_name and
    name=!node_name and
    ip = !overlay_ip and
    port = !anylog_server_port bring.first>
if not !is_policy and !create_policy == false then goto create-policy
if not !is_policy and !create_policy == true then goto config-policy-error
else goto end-script

:create-policy:
set new_policy = ""
set policy new_policy [!node_type] = {}
set policy new_policy [!node_type][name] = !node_name
set policy new_policy [!node_type][company] = !company_name
set policy new_policy [!node_type][ip] = !overlay_ip
set policy new_policy [!node_type][port] = !anylog_server_port.int
set policy new_policy [!node_type][rest_port] = !anylog_rest_port.int
set policy new_policy [!node_type][loc] = !loc
on error call declare-error
blockchain prepare policy !new_policy
blockchain insert where policy=!new_policy and local=true
set create_policy = true
goto check-policy

:end-script:
end script

:config-policy-error:
print "Failed to configure node based on !node_type ID"
exit scripts

:declare-error:
print "Failed to declare !node_type policy"
return
