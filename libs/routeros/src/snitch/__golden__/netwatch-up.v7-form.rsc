# managed-by=isp-netops kind=netwatch-up v=1
:do {
  :local body ("host=10.0.1.1" . "&status=up" . "&name=Sector%20%22A%22%20%5C%20%241%20%3F" . "&ts=" . ([/system clock get date] . "%20" . [/system clock get time]))
  /tool fetch url="https://ingest.example.net/api/webhooks/mikrotik/netwatch" http-method=post http-header-field="Content-Type: application/x-www-form-urlencoded,X-Webhook-Token: rt_650000000000000000000001_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG" http-data=$body output=none
} on-error={ :log warning "isp-netops: netwatch-up webhook failed" }
