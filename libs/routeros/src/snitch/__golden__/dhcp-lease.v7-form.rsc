# managed-by=isp-netops kind=dhcp-lease v=1
:do {
  :local urlencode do={
    :local hex "0123456789ABCDEF"
    :local ascii " !\"#\$%&'()*+,-./0123456789:;<=>\?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
    :local high "\80\81\82\83\84\85\86\87\88\89\8A\8B\8C\8D\8E\8F\90\91\92\93\94\95\96\97\98\99\9A\9B\9C\9D\9E\9F\A0\A1\A2\A3\A4\A5\A6\A7\A8\A9\AA\AB\AC\AD\AE\AF\B0\B1\B2\B3\B4\B5\B6\B7\B8\B9\BA\BB\BC\BD\BE\BF\C0\C1\C2\C3\C4\C5\C6\C7\C8\C9\CA\CB\CC\CD\CE\CF\D0\D1\D2\D3\D4\D5\D6\D7\D8\D9\DA\DB\DC\DD\DE\DF\E0\E1\E2\E3\E4\E5\E6\E7\E8\E9\EA\EB\EC\ED\EE\EF\F0\F1\F2\F3\F4\F5\F6\F7\F8\F9\FA\FB\FC\FD\FE\FF"
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
        } else={
          :local q [:find $high $c]
          :if ([:typeof $q] = "num") do={
            :set out ($out . "%" . [:pick $hex (($q + 128) / 16)] . [:pick $hex (($q + 128) % 16)])
          }
        }
      }
    }
    :return $out
  }
  :local body ("bound=" . [$urlencode [:tostr $leaseBound]] . "&mac=" . [$urlencode [:tostr $leaseActMAC]] . "&ip=" . [$urlencode [:tostr $leaseActIP]] . "&server=" . [$urlencode [:tostr $leaseServerName]] . "&hostname=" . [$urlencode [:tostr $"lease-hostname"]] . "&ts=" . ([/system clock get date] . "%20" . [/system clock get time]))
  /tool fetch url="https://ingest.example.net/api/webhooks/mikrotik/dhcp-lease" http-method=post http-header-field="Content-Type: application/x-www-form-urlencoded,X-Webhook-Token: rt_650000000000000000000001_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG" http-data=$body output=none
} on-error={ :log warning "isp-netops: dhcp-lease webhook failed" }
