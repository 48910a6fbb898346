# managed-by=isp-netops kind=dhcp-lease v=1
:do {
  :local payload {"bound"=[:tostr $leaseBound];"mac"=[:tostr $leaseActMAC];"ip"=[:tostr $leaseActIP];"server"=[:tostr $leaseServerName];"hostname"=[:tostr $"lease-hostname"];"ts"=([/system clock get date] . " " . [/system clock get time])}
  :local body [:serialize to=json value=$payload options=json.no-string-conversion]
  /tool fetch url="https://ingest.example.net/api/webhooks/mikrotik/dhcp-lease" http-method=post http-header-field="Content-Type: application/json,X-Webhook-Token: rt_650000000000000000000001_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG" http-data=$body output=none
} on-error={ :log warning "isp-netops: dhcp-lease webhook failed" }
