# A deployment in the shape of EdgeLake's node-deployment/main.al (written for this project's tests): environment
# variables, script control, a config policy whose fields start the servers, its script list, a node policy looked
# up by a reference type.
:set-debug:
on error call set-debug-error
if $TRACE_LEVEL == 1 then
do trace level = 1
else if $TRACE_LEVEL == 2 then
do trace level = 1
set echo queue on

:is-edgelake:
version = get version
deployment_type = python !version.split(" ")[0]
if !deployment_type != AnyLog then set is_edgelake = true

:directories:
set anylog_path = /app
if $ANYLOG_PATH then set anylog_path = $ANYLOG_PATH
set anylog home !anylog_path
is_dir = file test !local_scripts_dir
if !is_dir == false then
do print "missing local scripts directory": !local_scripts_dir
do goto terminate-scripts
create work directories

:set-params:
process !local_scripts_dir/set_params.al

:set-configs:
on error ignore
process !local_scripts_dir/config_policy.al
end script

:terminate-scripts:
exit scripts

:set-debug-error:
print "debug settings failed"
return
