# managed-by=isp-netops kind=ppp-down v=1
:do {
  :local ifname ""
  :do { :set ifname [/interface get $interface name] } on-error={}
  :local payload {"event"="down";"user"=[:tostr $user];"address"=[:tostr $"remote-address"];"callerId"=[:tostr $"caller-id"];"iface"=$ifname;"ts"=([/system clock get date] . " " . [/system clock get time])}
  :local body [:serialize to=json value=$payload options=json.no-string-conversion]
  /tool fetch url="https://ingest.example.net/api/webhooks/mikrotik/ppp-status" http-method=post http-header-field="Content-Type: application/json,X-Webhook-Token: rt_650000000000000000000001_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG" http-data=$body output=none
} on-error={ :log warning "isp-netops: ppp-down webhook failed" }
