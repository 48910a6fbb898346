# managed-by=isp-netops kind=dhcp-lease v=1
:do {
  :local urlencode do={
    :local hex "0123456789ABCDEF"
    :local ascii " !\"#\$%&'()*+,-./0123456789:;<=>\?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
    :local out ""
    :if ([:len $1] > 0) do={
      :for i from=0 to=([:len $1] - 1) do={
        :local c [:pick $1 $i]
        :local p [:find $ascii $c]
        :if ([:typeof $p] = "num") do={
          :if (($p >= 16 && $p <= 25) || ($p >= 33 && $p <= 58) || ($p >= 65 && $p <= 90) || $p = 13 || $p = 14 || $p = 63 || $p = 94) do={
            :set out ($out . $c)
          } else={
            :set out ($out . "%" . [:pick $hex (($p + 32) / 16)] . [:pick $hex (($p + 32) % 16)])
          }
        }
      }
    }
    :return $out
  }
  :local body ("bound=" . [$urlencode [:tostr $leaseBound]] . "&mac=" . [$urlencode [:tostr $leaseActMAC]] . "&ip=" . [$urlencode [:tostr $leaseActIP]] . "&server=" . [$urlencode [:tostr $leaseServerName]] . "&hostname=" . [$urlencode [:tostr $"lease-hostname"]] . "&ts=" . ([/system clock get date] . "%20" . [/system clock get time]))
  /tool fetch url="https://ingest.example.net/api/webhooks/mikrotik/dhcp-lease" http-method=post http-header-field="Content-Type: application/x-www-form-urlencoded,X-Webhook-Token: rt_650000000000000000000001_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG" http-data=$body keep-result=no
} on-error={ :log warning "isp-netops: dhcp-lease webhook failed" }
