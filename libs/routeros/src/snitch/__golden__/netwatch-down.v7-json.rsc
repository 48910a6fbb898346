# managed-by=isp-netops kind=netwatch-down v=1
:do {
  :local payload {"host"="10.0.1.1";"status"="down";"name"="Sector \"A\" \\ \$1 \?";"ts"=([/system clock get date] . " " . [/system clock get time])}
  :local body [:serialize to=json value=$payload options=json.no-string-conversion]
  /tool fetch url="https://ingest.example.net/api/webhooks/mikrotik/netwatch" http-method=post http-header-field="Content-Type: application/json,X-Webhook-Token: rt_650000000000000000000001_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG" http-data=$body output=none
} on-error={ :log warning "isp-netops: netwatch-down webhook failed" }
