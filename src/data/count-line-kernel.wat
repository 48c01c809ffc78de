;; The import's usual line in WebAssembly (count-line-kernel.ts drives it, count-line-scan.ts feeds it).
;;
;; A counter file's line is about 500 bytes (photo links) of which a row needs 80: the JavaScript
;; path (count-line-parser.ts, the reference) made a string of every line, cut its fields out and
;; parsed them, 2.2 s a thread for 657K real-width rows on a 2-core Intel Xeon. Here the bytes are
;; scanned 16 at a time for the five bytes that matter (LF, CR, the delimiter, '"', 0xA0) and only the
;; fields a row needs are read.
;;
;; The kernel accepts a line only where it is sure of what the reference makes of it, and then gives
;; the same numbers to the bit: every other line (key −1) goes to the reference, which accepts,
;; quarantines or sets it aside as before. So it hands over: a line holding '"', 0xA0 or a CR not
;; before its LF; an empty line; the wrong number of fields; an empty counter id; a count that is not
;; digits with an optional ".0…" (so "-0" too) or has over 15 digits, or is above the limit; a
;; timestamp with a fraction of a second, a year below 100 (Date.UTC reads 0–99 as 19xx) or any
;; shape but YYYY-MM-DD[T| |t]HH:MM[:SS] followed by Z, z, " UTC", ±HH, ±HHMM, ±HH:MM (or nothing
;; when naive timestamps are UTC); a coordinate that is not [-]digits[.digits] of at most 15 digits
;; (for those, digits ÷ 10^fraction digits is one correctly rounded division of two exact doubles:
;; Number()'s value), or out of range; a new (id, name, site) once the key table or its arena is full.
;;
;; scan(from, end, maxLines) → lines: reads the lines of [from, end) (end − 1 is a LF), at most
;; maxLines, and for line i writes its start and end (the terminator, LF or CRLF, left out), its key
;; (≥ 0: accepted; −1: the reference's) and, when accepted, its timestamp (epoch ms), count, lat and
;; lon as f64. `stop` is then the byte after the last line read. Reads up to 15 bytes past `end`.
;;
;; Keys: each distinct (counter id, counter name, site id) byte triple gets the next key; its bytes
;; are copied to the arena, a record (arena offset, id, name and site lengths: u32 × 4) at KEYS.
;; An empty site field stays empty here: the caller applies the reference's fallback.
;;
;; configure(delimiter, fields, id, name, site, count, timestamp, coordinates, lat, lon, naiveUtc,
;; maxCount): field indexes of the file's header (−1: absent; coordinates ≥ 0 for "lat,lon" in one
;; field, else lat and lon apart). Returns 0 when the kernel cannot read such lines (over 64 fields).
;;
;; `npm run build:kernel` assembles it (wabt) into count-line-kernel-wasm.ts.
(module
  (memory (export "memory") 90)
  ;; Layout (byte offsets): field starts u32 × 65 at 0; key hashes u32 × 2048 at HASHES; key records
  ;; u32 × 4 × 2048 at KEYS; slots (key + 1, 0 = empty) u32 × 4096 at SLOTS; per-line outputs for
  ;; MAX_LINES lines from OUT; the arena; the input window (CHUNK bytes and 64 of slack) at IN.
  (global $HASHES i32 (i32.const 1024))
  (global $KEYS (export "KEYS") i32 (i32.const 9216))
  (global $SLOTS i32 (i32.const 41984))
  (global (export "MAX_KEYS") i32 (i32.const 2048))
  (global (export "MAX_LINES") i32 (i32.const 8192))
  (global (export "OUT_START") i32 (i32.const 65536))
  (global (export "OUT_END") i32 (i32.const 98304))
  (global (export "OUT_KEY") i32 (i32.const 131072))
  (global (export "OUT_TS") i32 (i32.const 163840))
  (global (export "OUT_COUNT") i32 (i32.const 229376))
  (global (export "OUT_LAT") i32 (i32.const 294912))
  (global (export "OUT_LON") i32 (i32.const 360448))
  (global $ARENA i32 (i32.const 425984))
  (global $ARENA_END i32 (i32.const 1474560))
  (global (export "IN") i32 (i32.const 1507328))
  (global (export "CHUNK") i32 (i32.const 4194304))

  (global $stop (export "stop") (mut i32) (i32.const 0))
  (global $keys (export "keys") (mut i32) (i32.const 0))
  (global $arenaTop (mut i32) (i32.const 425984))

  (global $delim (mut i32) (i32.const 59))
  (global $nFields (mut i32) (i32.const 0))
  (global $fId (mut i32) (i32.const -1))
  (global $fName (mut i32) (i32.const -1))
  (global $fSite (mut i32) (i32.const -1))
  (global $fCount (mut i32) (i32.const -1))
  (global $fTs (mut i32) (i32.const -1))
  (global $fCoords (mut i32) (i32.const -1))
  (global $fLat (mut i32) (i32.const -1))
  (global $fLon (mut i32) (i32.const -1))
  (global $naiveUtc (mut i32) (i32.const 0))
  (global $maxCount (mut f64) (f64.const 0))

  (func (export "configure")
    (param $delim i32) (param $fields i32) (param $id i32) (param $name i32) (param $site i32)
    (param $count i32) (param $ts i32) (param $coords i32) (param $lat i32) (param $lon i32)
    (param $naiveUtc i32) (param $maxCount f64) (result i32)
    (global.set $delim (local.get $delim))
    (global.set $nFields (local.get $fields))
    (global.set $fId (local.get $id))
    (global.set $fName (local.get $name))
    (global.set $fSite (local.get $site))
    (global.set $fCount (local.get $count))
    (global.set $fTs (local.get $ts))
    (global.set $fCoords (local.get $coords))
    (global.set $fLat (local.get $lat))
    (global.set $fLon (local.get $lon))
    (global.set $naiveUtc (local.get $naiveUtc))
    (global.set $maxCount (local.get $maxCount))
    (i32.and
      (i32.and (i32.le_s (local.get $fields) (i32.const 64)) (i32.ge_s (local.get $id) (i32.const 0)))
      (i32.and (i32.ge_s (local.get $count) (i32.const 0)) (i32.ge_s (local.get $ts) (i32.const 0)))))

  ;; Field f of the current line starts at field_start(f) and ends before field_end(f).
  (func $field_start (param $f i32) (result i32)
    (i32.load (i32.shl (local.get $f) (i32.const 2))))
  (func $field_end (param $f i32) (param $le i32) (result i32)
    (if (result i32) (i32.eq (local.get $f) (i32.sub (global.get $nFields) (i32.const 1)))
      (then (local.get $le))
      (else (i32.sub (i32.load (i32.shl (i32.add (local.get $f) (i32.const 1)) (i32.const 2))) (i32.const 1)))))

  ;; Two ASCII digits at p as a number, or −1.
  (func $digits2 (param $p i32) (result i32)
    (local $a i32) (local $b i32)
    (local.set $a (i32.sub (i32.load8_u (local.get $p)) (i32.const 48)))
    (local.set $b (i32.sub (i32.load8_u offset=1 (local.get $p)) (i32.const 48)))
    (if (i32.or (i32.gt_u (local.get $a) (i32.const 9)) (i32.gt_u (local.get $b) (i32.const 9)))
      (then (return (i32.const -1))))
    (i32.add (i32.mul (local.get $a) (i32.const 10)) (local.get $b)))

  ;; A count: digits, then optionally '.' and one or more '0'; at most 15 digits. −1 otherwise.
  (func $count (param $s i32) (param $e i32) (result f64)
    (local $m i64) (local $nd i32) (local $c i32) (local $z i32)
    (block $digits_done
      (loop $digits
        (br_if $digits_done (i32.ge_u (local.get $s) (local.get $e)))
        (local.set $c (i32.sub (i32.load8_u (local.get $s)) (i32.const 48)))
        (br_if $digits_done (i32.gt_u (local.get $c) (i32.const 9)))
        (local.set $m (i64.add (i64.mul (local.get $m) (i64.const 10)) (i64.extend_i32_u (local.get $c))))
        (local.set $nd (i32.add (local.get $nd) (i32.const 1)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br_if $digits (i32.le_u (local.get $nd) (i32.const 15)))))
    (if (i32.or (i32.eqz (local.get $nd)) (i32.gt_u (local.get $nd) (i32.const 15)))
      (then (return (f64.const -1))))
    (if (i32.and (i32.lt_u (local.get $s) (local.get $e)) (i32.eq (i32.load8_u (local.get $s)) (i32.const 46)))
      (then
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (block $zeros_done
          (loop $zeros
            (br_if $zeros_done (i32.ge_u (local.get $s) (local.get $e)))
            (br_if $zeros_done (i32.ne (i32.load8_u (local.get $s)) (i32.const 48)))
            (local.set $z (i32.add (local.get $z) (i32.const 1)))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            (br $zeros)))
        (if (i32.eqz (local.get $z)) (then (return (f64.const -1))))))
    (if (i32.ne (local.get $s) (local.get $e)) (then (return (f64.const -1))))
    (f64.convert_i64_u (local.get $m)))

  ;; A decimal [-]digits[.digits] of at most 15 digits as Number() reads it, or NaN.
  (func $decimal (param $s i32) (param $e i32) (result f64)
    (local $neg i32) (local $m i64) (local $nd i32) (local $frac i32) (local $c i32) (local $scale f64) (local $v f64)
    (if (i32.and (i32.lt_u (local.get $s) (local.get $e)) (i32.eq (i32.load8_u (local.get $s)) (i32.const 45)))
      (then
        (local.set $neg (i32.const 1))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))))
    (block $int_done
      (loop $int
        (br_if $int_done (i32.ge_u (local.get $s) (local.get $e)))
        (local.set $c (i32.sub (i32.load8_u (local.get $s)) (i32.const 48)))
        (br_if $int_done (i32.gt_u (local.get $c) (i32.const 9)))
        (local.set $m (i64.add (i64.mul (local.get $m) (i64.const 10)) (i64.extend_i32_u (local.get $c))))
        (local.set $nd (i32.add (local.get $nd) (i32.const 1)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br_if $int (i32.le_u (local.get $nd) (i32.const 15)))))
    (if (i32.or (i32.eqz (local.get $nd)) (i32.gt_u (local.get $nd) (i32.const 15)))
      (then (return (f64.const nan))))
    (if (i32.and (i32.lt_u (local.get $s) (local.get $e)) (i32.eq (i32.load8_u (local.get $s)) (i32.const 46)))
      (then
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (block $frac_done
          (loop $fraction
            (br_if $frac_done (i32.ge_u (local.get $s) (local.get $e)))
            (local.set $c (i32.sub (i32.load8_u (local.get $s)) (i32.const 48)))
            (br_if $frac_done (i32.gt_u (local.get $c) (i32.const 9)))
            (local.set $m (i64.add (i64.mul (local.get $m) (i64.const 10)) (i64.extend_i32_u (local.get $c))))
            (local.set $nd (i32.add (local.get $nd) (i32.const 1)))
            (local.set $frac (i32.add (local.get $frac) (i32.const 1)))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            (br_if $fraction (i32.le_u (local.get $nd) (i32.const 15)))))
        (if (i32.eqz (local.get $frac)) (then (return (f64.const nan))))))
    (if (i32.or (i32.ne (local.get $s) (local.get $e)) (i32.gt_u (local.get $nd) (i32.const 15)))
      (then (return (f64.const nan))))
    ;; 10^frac, exact (frac ≤ 15), by products that are exact.
    (local.set $scale (f64.const 1))
    (block $scaled
      (loop $scale_up
        (br_if $scaled (i32.eqz (local.get $frac)))
        (local.set $scale (f64.mul (local.get $scale) (f64.const 10)))
        (local.set $frac (i32.sub (local.get $frac) (i32.const 1)))
        (br $scale_up)))
    (local.set $v (f64.div (f64.convert_i64_u (local.get $m)) (local.get $scale)))
    (if (result f64) (local.get $neg) (then (f64.neg (local.get $v))) (else (local.get $v))))

  ;; Days from 1970-01-01 of a proleptic Gregorian date (y ≥ 100): Date.UTC's day.
  (func $days (param $y i32) (param $m i32) (param $d i32) (result i32)
    (local $era i32) (local $yoe i32) (local $doy i32) (local $doe i32)
    (if (i32.le_u (local.get $m) (i32.const 2)) (then (local.set $y (i32.sub (local.get $y) (i32.const 1)))))
    (local.set $era (i32.div_u (local.get $y) (i32.const 400)))
    (local.set $yoe (i32.sub (local.get $y) (i32.mul (local.get $era) (i32.const 400))))
    (local.set $doy
      (i32.add
        (i32.div_u
          (i32.add
            (i32.mul (i32.const 153)
              (i32.add (local.get $m) (select (i32.const -3) (i32.const 9) (i32.gt_u (local.get $m) (i32.const 2)))))
            (i32.const 2))
          (i32.const 5))
        (i32.sub (local.get $d) (i32.const 1))))
    (local.set $doe
      (i32.add
        (i32.sub
          (i32.add (i32.mul (local.get $yoe) (i32.const 365)) (i32.div_u (local.get $yoe) (i32.const 4)))
          (i32.div_u (local.get $yoe) (i32.const 100)))
        (local.get $doy)))
    (i32.sub (i32.add (i32.mul (local.get $era) (i32.const 146097)) (local.get $doe)) (i32.const 719468)))

  (func $days_in_month (param $y i32) (param $m i32) (result i32)
    (if (i32.eq (local.get $m) (i32.const 2))
      (then
        (return
          (select (i32.const 29) (i32.const 28)
            (i32.and
              (i32.eqz (i32.rem_u (local.get $y) (i32.const 4)))
              (i32.or
                (i32.ne (i32.rem_u (local.get $y) (i32.const 100)) (i32.const 0))
                (i32.eqz (i32.rem_u (local.get $y) (i32.const 400)))))))))
    (select (i32.const 30) (i32.const 31)
      (i32.or
        (i32.or (i32.eq (local.get $m) (i32.const 4)) (i32.eq (local.get $m) (i32.const 6)))
        (i32.or (i32.eq (local.get $m) (i32.const 9)) (i32.eq (local.get $m) (i32.const 11))))))

  ;; parse-instant.ts's parseInstant for the shapes listed above, or NaN (then the reference decides).
  (func $instant (param $s i32) (param $e i32) (result f64)
    (local $len i32) (local $sep i32) (local $y i32) (local $mo i32) (local $d i32) (local $h i32) (local $mi i32)
    (local $sec i32) (local $i i32) (local $c i32) (local $rest i32) (local $oh i32) (local $om i32) (local $off i32)
    (local $a i32) (local $b i32)
    (local.set $len (i32.sub (local.get $e) (local.get $s)))
    (if (i32.lt_s (local.get $len) (i32.const 16)) (then (return (f64.const nan))))
    (if (i32.or
          (i32.or (i32.ne (i32.load8_u offset=4 (local.get $s)) (i32.const 45))
                  (i32.ne (i32.load8_u offset=7 (local.get $s)) (i32.const 45)))
          (i32.ne (i32.load8_u offset=13 (local.get $s)) (i32.const 58)))
      (then (return (f64.const nan))))
    (local.set $sep (i32.load8_u offset=10 (local.get $s)))
    (if (i32.and (i32.and (i32.ne (local.get $sep) (i32.const 84)) (i32.ne (local.get $sep) (i32.const 32)))
                 (i32.ne (local.get $sep) (i32.const 116)))
      (then (return (f64.const nan))))
    (local.set $a (call $digits2 (local.get $s)))
    (local.set $b (call $digits2 (i32.add (local.get $s) (i32.const 2))))
    (if (i32.or (i32.lt_s (local.get $a) (i32.const 1)) (i32.lt_s (local.get $b) (i32.const 0)))
      (then (return (f64.const nan))))
    (local.set $y (i32.add (i32.mul (local.get $a) (i32.const 100)) (local.get $b)))
    (local.set $mo (call $digits2 (i32.add (local.get $s) (i32.const 5))))
    (local.set $d (call $digits2 (i32.add (local.get $s) (i32.const 8))))
    (local.set $h (call $digits2 (i32.add (local.get $s) (i32.const 11))))
    (local.set $mi (call $digits2 (i32.add (local.get $s) (i32.const 14))))
    (if (i32.or
          (i32.or (i32.lt_s (local.get $mo) (i32.const 1)) (i32.gt_s (local.get $mo) (i32.const 12)))
          (i32.or
            (i32.or (i32.lt_s (local.get $d) (i32.const 1)) (i32.lt_s (local.get $h) (i32.const 0)))
            (i32.or (i32.gt_s (local.get $h) (i32.const 23))
              (i32.or (i32.lt_s (local.get $mi) (i32.const 0)) (i32.gt_s (local.get $mi) (i32.const 59))))))
      (then (return (f64.const nan))))
    (if (i32.gt_s (local.get $d) (call $days_in_month (local.get $y) (local.get $mo))) (then (return (f64.const nan))))
    (local.set $i (i32.const 16))
    (if (i32.and (i32.gt_s (local.get $len) (i32.const 16)) (i32.eq (i32.load8_u offset=16 (local.get $s)) (i32.const 58)))
      (then
        (if (i32.lt_s (local.get $len) (i32.const 19)) (then (return (f64.const nan))))
        (local.set $sec (call $digits2 (i32.add (local.get $s) (i32.const 17))))
        (if (i32.or (i32.lt_s (local.get $sec) (i32.const 0)) (i32.gt_s (local.get $sec) (i32.const 59)))
          (then (return (f64.const nan))))
        (local.set $i (i32.const 19))
        ;; A fraction of a second: the reference's.
        (if (i32.and (i32.gt_s (local.get $len) (i32.const 19)) (i32.eq (i32.load8_u offset=19 (local.get $s)) (i32.const 46)))
          (then (return (f64.const nan))))))
    (local.set $rest (i32.sub (local.get $len) (local.get $i)))
    (if (i32.eqz (local.get $rest))
      (then
        (if (i32.eqz (global.get $naiveUtc)) (then (return (f64.const nan))))
        (local.set $off (i32.const 0)))
      (else
        (local.set $c (i32.load8_u (i32.add (local.get $s) (local.get $i))))
        (if (i32.and (i32.or (i32.eq (local.get $c) (i32.const 90)) (i32.eq (local.get $c) (i32.const 122)))
                     (i32.eq (local.get $rest) (i32.const 1)))
          (then (local.set $off (i32.const 0)))
          (else
            (if (i32.and (i32.eq (local.get $c) (i32.const 32)) (i32.eq (local.get $rest) (i32.const 4)))
              (then
                ;; " UTC"
                (if (i32.or
                      (i32.ne (i32.load8_u offset=1 (i32.add (local.get $s) (local.get $i))) (i32.const 85))
                      (i32.or
                        (i32.ne (i32.load8_u offset=2 (i32.add (local.get $s) (local.get $i))) (i32.const 84))
                        (i32.ne (i32.load8_u offset=3 (i32.add (local.get $s) (local.get $i))) (i32.const 67))))
                  (then (return (f64.const nan))))
                (local.set $off (i32.const 0)))
              (else
                (if (i32.and (i32.ne (local.get $c) (i32.const 43)) (i32.ne (local.get $c) (i32.const 45)))
                  (then (return (f64.const nan))))
                (local.set $oh (call $digits2 (i32.add (i32.add (local.get $s) (local.get $i)) (i32.const 1))))
                (if (i32.eq (local.get $rest) (i32.const 3))
                  (then (local.set $om (i32.const 0)))
                  (else
                    (if (i32.and (i32.eq (local.get $rest) (i32.const 6))
                                 (i32.eq (i32.load8_u offset=3 (i32.add (local.get $s) (local.get $i))) (i32.const 58)))
                      (then (local.set $om (call $digits2 (i32.add (i32.add (local.get $s) (local.get $i)) (i32.const 4)))))
                      (else
                        (if (i32.eq (local.get $rest) (i32.const 5))
                          (then (local.set $om (call $digits2 (i32.add (i32.add (local.get $s) (local.get $i)) (i32.const 3)))))
                          (else (return (f64.const nan))))))))
                (if (i32.or
                      (i32.or (i32.lt_s (local.get $oh) (i32.const 0)) (i32.gt_s (local.get $oh) (i32.const 14)))
                      (i32.or (i32.lt_s (local.get $om) (i32.const 0)) (i32.gt_s (local.get $om) (i32.const 59))))
                  (then (return (f64.const nan))))
                (local.set $off (i32.add (i32.mul (local.get $oh) (i32.const 60)) (local.get $om)))
                (if (i32.eq (local.get $c) (i32.const 45)) (then (local.set $off (i32.sub (i32.const 0) (local.get $off)))))))))))
    (if (i32.lt_s (local.get $y) (i32.const 100)) (then (return (f64.const nan))))
    (f64.add
      (f64.mul (f64.convert_i32_s (call $days (local.get $y) (local.get $mo) (local.get $d))) (f64.const 86400000))
      (f64.convert_i32_s
        (i32.mul
          (i32.add
            (i32.mul
              (i32.sub (i32.add (i32.mul (local.get $h) (i32.const 60)) (local.get $mi)) (local.get $off))
              (i32.const 60))
            (local.get $sec))
          (i32.const 1000)))))

  ;; Whether n bytes at a and at b are equal.
  (func $same (param $a i32) (param $b i32) (param $n i32) (result i32)
    (block $tail
      (loop $words
        (br_if $tail (i32.lt_u (local.get $n) (i32.const 8)))
        (if (i64.ne (i64.load (local.get $a)) (i64.load (local.get $b))) (then (return (i32.const 0))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 8)))
        (br $words)))
    (block $done
      (loop $bytes
        (br_if $done (i32.eqz (local.get $n)))
        (if (i32.ne (i32.load8_u (local.get $a)) (i32.load8_u (local.get $b))) (then (return (i32.const 0))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $bytes)))
    (i32.const 1))

  (func $fnv (param $h i32) (param $s i32) (param $e i32) (result i32)
    (block $done
      (loop $bytes
        (br_if $done (i32.ge_u (local.get $s) (local.get $e)))
        (local.set $h (i32.mul (i32.xor (local.get $h) (i32.load8_u (local.get $s))) (i32.const 16777619)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $bytes)))
    (i32.mul (i32.xor (local.get $h) (i32.const 0x1f)) (i32.const 16777619)))

  ;; The key of an (id, name, site) byte triple, added when new; −1 when the table or arena is full.
  (func $key (param $is i32) (param $ie i32) (param $ns i32) (param $ne i32) (param $ss i32) (param $se i32) (result i32)
    (local $h i32) (local $slot i32) (local $k i32) (local $rec i32) (local $il i32) (local $nl i32) (local $sl i32)
    (local $at i32)
    (local.set $il (i32.sub (local.get $ie) (local.get $is)))
    (local.set $nl (i32.sub (local.get $ne) (local.get $ns)))
    (local.set $sl (i32.sub (local.get $se) (local.get $ss)))
    ;; Hashed by the counter id alone: its name and site follow it, and the compare below sees them.
    (local.set $h (call $fnv (i32.const -2128831035) (local.get $is) (local.get $ie)))
    (local.set $slot (i32.and (local.get $h) (i32.const 4095)))
    (loop $probe
      (local.set $k (i32.load (i32.add (global.get $SLOTS) (i32.shl (local.get $slot) (i32.const 2)))))
      (if (i32.eqz (local.get $k))
        (then
          ;; New: copied to the arena, if there is room.
          (if (i32.or
                (i32.ge_u (global.get $keys) (i32.const 2048))
                (i32.gt_u (i32.add (global.get $arenaTop) (i32.add (local.get $il) (i32.add (local.get $nl) (local.get $sl))))
                  (global.get $ARENA_END)))
            (then (return (i32.const -1))))
          (local.set $k (global.get $keys))
          (local.set $at (global.get $arenaTop))
          (memory.copy (local.get $at) (local.get $is) (local.get $il))
          (memory.copy (i32.add (local.get $at) (local.get $il)) (local.get $ns) (local.get $nl))
          (memory.copy (i32.add (local.get $at) (i32.add (local.get $il) (local.get $nl))) (local.get $ss) (local.get $sl))
          (global.set $arenaTop (i32.add (local.get $at) (i32.add (local.get $il) (i32.add (local.get $nl) (local.get $sl)))))
          (local.set $rec (i32.add (global.get $KEYS) (i32.shl (local.get $k) (i32.const 4))))
          (i32.store (local.get $rec) (local.get $at))
          (i32.store offset=4 (local.get $rec) (local.get $il))
          (i32.store offset=8 (local.get $rec) (local.get $nl))
          (i32.store offset=12 (local.get $rec) (local.get $sl))
          (i32.store (i32.add (global.get $HASHES) (i32.shl (local.get $k) (i32.const 2))) (local.get $h))
          (i32.store (i32.add (global.get $SLOTS) (i32.shl (local.get $slot) (i32.const 2))) (i32.add (local.get $k) (i32.const 1)))
          (global.set $keys (i32.add (local.get $k) (i32.const 1)))
          (return (local.get $k))))
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (local.set $rec (i32.add (global.get $KEYS) (i32.shl (local.get $k) (i32.const 4))))
      (if (i32.and
            (i32.eq (i32.load (i32.add (global.get $HASHES) (i32.shl (local.get $k) (i32.const 2)))) (local.get $h))
            (i32.and
              (i32.eq (i32.load offset=4 (local.get $rec)) (local.get $il))
              (i32.and (i32.eq (i32.load offset=8 (local.get $rec)) (local.get $nl))
                       (i32.eq (i32.load offset=12 (local.get $rec)) (local.get $sl)))))
        (then
          (local.set $at (i32.load (local.get $rec)))
          (if (i32.and
                (call $same (local.get $at) (local.get $is) (local.get $il))
                (i32.and
                  (call $same (i32.add (local.get $at) (local.get $il)) (local.get $ns) (local.get $nl))
                  (call $same (i32.add (local.get $at) (i32.add (local.get $il) (local.get $nl))) (local.get $ss) (local.get $sl))))
            (then (return (local.get $k))))))
      (local.set $slot (i32.and (i32.add (local.get $slot) (i32.const 1)) (i32.const 4095)))
      (br $probe))
    (i32.const -1))

  ;; Reads line n's row (its fields counted already): its key, or −1 for the reference.
  (func $row (param $ls i32) (param $le i32) (param $n i32) (result i32)
    (local $is i32) (local $ie i32) (local $ns i32) (local $ne i32) (local $ss i32) (local $se i32)
    (local $s i32) (local $e i32) (local $c i32) (local $count f64) (local $ts f64) (local $lat f64) (local $lon f64)
    (local $k i32) (local $o i32)
    (local.set $is (call $field_start (global.get $fId)))
    (local.set $ie (call $field_end (global.get $fId) (local.get $le)))
    (if (i32.eq (local.get $is) (local.get $ie)) (then (return (i32.const -1))))
    (local.set $count
      (call $count (call $field_start (global.get $fCount)) (call $field_end (global.get $fCount) (local.get $le))))
    (if (i32.or (f64.lt (local.get $count) (f64.const 0)) (f64.gt (local.get $count) (global.get $maxCount)))
      (then (return (i32.const -1))))
    (local.set $ts (call $instant (call $field_start (global.get $fTs)) (call $field_end (global.get $fTs) (local.get $le))))
    (if (f64.ne (local.get $ts) (local.get $ts)) (then (return (i32.const -1))))
    (if (i32.ge_s (global.get $fCoords) (i32.const 0))
      (then
        (local.set $s (call $field_start (global.get $fCoords)))
        (local.set $e (call $field_end (global.get $fCoords) (local.get $le)))
        ;; The first comma; a second one is the reference's.
        (local.set $c (local.get $s))
        (block $found
          (loop $find
            (if (i32.ge_u (local.get $c) (local.get $e)) (then (return (i32.const -1))))
            (br_if $found (i32.eq (i32.load8_u (local.get $c)) (i32.const 44)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $find)))
        (local.set $lat (call $decimal (local.get $s) (local.get $c)))
        (local.set $lon (call $decimal (i32.add (local.get $c) (i32.const 1)) (local.get $e))))
      (else
        (if (i32.or (i32.lt_s (global.get $fLat) (i32.const 0)) (i32.lt_s (global.get $fLon) (i32.const 0)))
          (then (return (i32.const -1))))
        (local.set $lat
          (call $decimal (call $field_start (global.get $fLat)) (call $field_end (global.get $fLat) (local.get $le))))
        (local.set $lon
          (call $decimal (call $field_start (global.get $fLon)) (call $field_end (global.get $fLon) (local.get $le))))))
    ;; validLatLon; NaN fails every comparison.
    (if (i32.eqz
          (i32.and
            (i32.and (f64.ge (local.get $lat) (f64.const -90)) (f64.le (local.get $lat) (f64.const 90)))
            (i32.and (f64.ge (local.get $lon) (f64.const -180)) (f64.le (local.get $lon) (f64.const 180)))))
      (then (return (i32.const -1))))
    (if (i32.ge_s (global.get $fName) (i32.const 0))
      (then
        (local.set $ns (call $field_start (global.get $fName)))
        (local.set $ne (call $field_end (global.get $fName) (local.get $le)))))
    (if (i32.ge_s (global.get $fSite) (i32.const 0))
      (then
        (local.set $ss (call $field_start (global.get $fSite)))
        (local.set $se (call $field_end (global.get $fSite) (local.get $le)))))
    (local.set $k (call $key (local.get $is) (local.get $ie) (local.get $ns) (local.get $ne) (local.get $ss) (local.get $se)))
    (if (i32.lt_s (local.get $k) (i32.const 0)) (then (return (i32.const -1))))
    (local.set $o (i32.shl (local.get $n) (i32.const 3)))
    (f64.store offset=163840 (local.get $o) (local.get $ts))
    (f64.store offset=229376 (local.get $o) (local.get $count))
    (f64.store offset=294912 (local.get $o) (local.get $lat))
    (f64.store offset=360448 (local.get $o) (local.get $lon))
    (local.get $k))

  (func (export "scan") (param $from i32) (param $end i32) (param $maxLines i32) (result i32)
    (local $p i32) (local $bits i32) (local $q i32) (local $b i32) (local $v v128) (local $m v128)
    (local $ls i32) (local $le i32) (local $nf i32) (local $bad i32) (local $n i32) (local $k i32)
    (local $vLf v128) (local $vCr v128) (local $vDelim v128) (local $vQuote v128) (local $vNbsp v128)
    (local.set $vLf (i8x16.splat (i32.const 10)))
    (local.set $vCr (i8x16.splat (i32.const 13)))
    (local.set $vDelim (i8x16.splat (global.get $delim)))
    (local.set $vQuote (i8x16.splat (i32.const 34)))
    (local.set $vNbsp (i8x16.splat (i32.const 160)))
    (local.set $ls (local.get $from))
    (i32.store (i32.const 0) (local.get $from))
    (global.set $stop (local.get $from))
    (if (i32.or (i32.ge_u (local.get $from) (local.get $end)) (i32.eqz (local.get $maxLines)))
      (then (return (i32.const 0))))
    (local.set $p (local.get $from))
    (loop $blocks
      (local.set $v (v128.load (local.get $p)))
      (local.set $m
        (v128.or
          (v128.or (i8x16.eq (local.get $v) (local.get $vLf)) (i8x16.eq (local.get $v) (local.get $vDelim)))
          (v128.or
            (v128.or (i8x16.eq (local.get $v) (local.get $vCr)) (i8x16.eq (local.get $v) (local.get $vQuote)))
            (i8x16.eq (local.get $v) (local.get $vNbsp)))))
      (local.set $bits (i8x16.bitmask (local.get $m)))
      (block $block_done
        (loop $each
          (br_if $block_done (i32.eqz (local.get $bits)))
          (local.set $q (i32.add (local.get $p) (i32.ctz (local.get $bits))))
          (local.set $bits (i32.and (local.get $bits) (i32.sub (local.get $bits) (i32.const 1))))
          (local.set $b (i32.load8_u (local.get $q)))
          (if (i32.eq (local.get $b) (global.get $delim))
            (then
              (local.set $nf (i32.add (local.get $nf) (i32.const 1)))
              (if (i32.lt_u (local.get $nf) (i32.const 64))
                (then (i32.store (i32.shl (local.get $nf) (i32.const 2)) (i32.add (local.get $q) (i32.const 1)))))
              (br $each)))
          (if (i32.eq (local.get $b) (i32.const 10))
            (then
              (local.set $le (local.get $q))
              (if (i32.and (i32.gt_u (local.get $q) (local.get $ls))
                           (i32.eq (i32.load8_u (i32.sub (local.get $q) (i32.const 1))) (i32.const 13)))
                (then (local.set $le (i32.sub (local.get $q) (i32.const 1)))))
              (local.set $k (i32.const -1))
              (if (i32.and
                    (i32.and (i32.eqz (local.get $bad)) (i32.gt_u (local.get $le) (local.get $ls)))
                    (i32.eq (i32.add (local.get $nf) (i32.const 1)) (global.get $nFields)))
                (then (local.set $k (call $row (local.get $ls) (local.get $le) (local.get $n)))))
              (i32.store offset=65536 (i32.shl (local.get $n) (i32.const 2)) (local.get $ls))
              (i32.store offset=98304 (i32.shl (local.get $n) (i32.const 2)) (local.get $le))
              (i32.store offset=131072 (i32.shl (local.get $n) (i32.const 2)) (local.get $k))
              (local.set $n (i32.add (local.get $n) (i32.const 1)))
              (local.set $ls (i32.add (local.get $q) (i32.const 1)))
              (global.set $stop (local.get $ls))
              (if (i32.or (i32.ge_u (local.get $n) (local.get $maxLines)) (i32.ge_u (local.get $ls) (local.get $end)))
                (then (return (local.get $n))))
              (local.set $nf (i32.const 0))
              (local.set $bad (i32.const 0))
              (i32.store (i32.const 0) (local.get $ls))
              (br $each)))
          (if (i32.eq (local.get $b) (i32.const 13))
            (then
              ;; A CR ends a line only before its LF; any other is the reference's (it counts lone CRs).
              (if (i32.ne (i32.load8_u offset=1 (local.get $q)) (i32.const 10)) (then (local.set $bad (i32.const 1))))
              (br $each)))
          (local.set $bad (i32.const 1))
          (br $each)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $blocks (i32.lt_u (local.get $p) (local.get $end))))
    (local.get $n))
)
