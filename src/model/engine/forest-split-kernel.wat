;; The forest's split searches and partitions in WebAssembly (forest-split-kernel.ts calls them).
;;
;; small_find — the small-node split search (grow-small-subtree.ts's SmallSubtreeGrower.find, the reference,
;; from the scatter on): for rows[start..end) of a small node, every listed feature's sparse histogram
;; (the bins its rows touch), then the best split over them. Most of a depth-20 tree's nodes hold a
;; handful of rows, so what costs is per node and per feature: the JavaScript pays a bounds check on
;; every typed-array access and a property load for every setting; here it is plain loads.
;; Same sums in the same order (each cell adds its rows in row order, float32 stats widened to
;; float64), the same scans, gains, tests and ties, so the same split to the last bit: the tests grow
;; trees both ways and compare them byte for byte.
;;
;; small_partition(rows, bins, stride, start, end, feature, threshold, set, scratch) → mid: partition.ts's
;; partitionNode (the reference) on row-major bins: stable, left rows first (bin ≤ threshold, or in the
;; category set at `set` when set ≠ 0), the right ones through `scratch` after them; returns the first
;; right position.
;;
;; dense_find(h, nf, W, S, minLeaf, minGain, ws, offs, identity) → found: split-finding.ts's findBestSplit
;; (the reference) for width 2, on a full histogram h (16 bytes a cell; feature f's cells from byte
;; h + offs[f]): each listed feature with one bin holding weight goes to `constant`, the others are scanned
;; as above over bins 0..nBins−1 (`identity` holds i32 0..255). The result goes where small_find's does.
;;
;; bootstrap(y, n, state, draws, stats, rows) → in-bag rows: bootstrap-rows.ts's bootstrapRows (the reference)
;; without sample weights: n draws from SeededRandom's stream started at `state` (mulberry32, the same
;; integer steps and the same float64 scaling to a row), counted in a byte a row at `draws`, then each row's
;; (draws, draws × y) as float32 in `stats` and the drawn rows ascending in `rows`. y is float64 by row.
;; Returns −1, having written nothing but the counts, when a row is drawn a 256th time (a byte no longer
;; holds it): the caller then draws again in JavaScript, which keeps counting past 255.
;;
;; subtract(out, a, b, bytes) and add_into(out, b, bytes): out = a − b and out += b over float64 histograms
;; (grow-tree.ts's subtractHistogram and the sum of two halves), two lanes at a time: the same IEEE
;; operations on the same pairs, so the same bits; `bytes` a multiple of 16.
;;
;; gather(rows, stats, bins, stride, start, end, localRows, localStats, localBins): grow-tree.ts's
;; GrowWorkspace.gather (the reference) for width 2: the rows at positions [start, end) copied in order to
;; the local arrays (their bins, their two stats), local row k being k.
;;
;; `npm run build:kernel` assembles it (wabt) into forest-split-kernel-wasm.ts.
;;
;; small_find(rows, stats, bins, stride, start, end, nf, W, S, minLeaf, minGain, ws) → 1 if a split
;; gains more than minGain, else 0. rows u32 row indices; stats f32 (weight, weight × target) by row;
;; bins row-major, `stride` bytes a row. The workspace `ws` (byte offsets; forest-kernel.ts lays it out):
;;   +0      features  i32 × 256   the node's features (set by the caller, nf of them, ascending)
;;   +1024   nBins     i32 × 256   per feature index: its bins without the missing one
;;   +2048   cat       i32 × 256   per feature index: 1 if categorical
;;   +3072   distinct  i32 × 256   per listed feature: distinct bins its rows touch
;;   +4096   out: feature i32, threshold i32, isCategorical i32, nConstant i32,
;;           +16 gain f64, +24 wl f64, +32 sl f64, +40 nl f64, +48 leftSet u32 × 8
;;   +4224   constant  i32 × 256   the listed features whose rows share one bin, in order
;;   +5248   catBins   i32 × 256   +6272 catMeans f64 × 256
;;   +8320   touched   i32 × 257 per listed feature (room for the branch-free append past the last)
;;   then    cells     f64 × 512 per listed feature (weight, weight × target by bin), kept zero between calls
(module
  (import "env" "memory" (memory 1 65536 shared))
  (global $best (mut f64) (f64.const 0))
  (global $found (mut i32) (i32.const 0))

  ;; Sets the output split (feature, threshold, categorical?, gain, wl, sl, nl) and marks it found.
  (func $set_split (param $ws i32) (param $f i32) (param $t i32) (param $isCat i32)
    (param $gain f64) (param $wl f64) (param $sl f64) (param $nl f64)
    (local $o i32)
    (local.set $o (i32.add (local.get $ws) (i32.const 4096)))
    (i32.store (local.get $o) (local.get $f))
    (i32.store offset=4 (local.get $o) (local.get $t))
    (i32.store offset=8 (local.get $o) (local.get $isCat))
    (f64.store offset=16 (local.get $o) (local.get $gain))
    (f64.store offset=24 (local.get $o) (local.get $wl))
    (f64.store offset=32 (local.get $o) (local.get $sl))
    (f64.store offset=40 (local.get $o) (local.get $nl))
    (global.set $found (i32.const 1)))

  ;; scanNumeric: bins ascending, left = bins ≤ threshold.
  (func $scan_numeric (param $ws i32) (param $cb i32) (param $tb i32) (param $count i32) (param $f i32)
    (param $nb i32) (param $W f64) (param $S f64) (param $minLeaf f64)
    (local $j i32) (local $b i32) (local $c i32) (local $wl f64) (local $sl f64) (local $nl f64)
    (local $parent f64) (local $g f64) (local $cw f64)
    (local.set $parent (f64.div (f64.mul (local.get $S) (local.get $S)) (local.get $W)))
    (block $done (loop $next
      (br_if $done (i32.ge_s (local.get $j) (local.get $count)))
      (local.set $b (i32.load (i32.add (local.get $tb) (i32.shl (local.get $j) (i32.const 2)))))
      ;; every non-missing row left is no split
      (br_if $done (i32.gt_s (local.get $b) (i32.sub (local.get $nb) (i32.const 2))))
      (local.set $c (i32.add (local.get $cb) (i32.shl (local.get $b) (i32.const 4))))
      (local.set $cw (f64.load (local.get $c)))
      (local.set $wl (f64.add (local.get $wl) (local.get $cw)))
      (local.set $sl (f64.add (local.get $sl) (f64.load offset=8 (local.get $c))))
      (local.set $nl (f64.add (local.get $nl) (local.get $cw)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $next (f64.lt (local.get $nl) (local.get $minLeaf)))
      (br_if $done (f64.lt (f64.sub (local.get $W) (local.get $nl)) (local.get $minLeaf)))
      ;; the gain of sending (wl, sl) left, in the reference's order of operations (written out: a call per
      ;; candidate cost 5% of a forest tree)
      (local.set $g (f64.sub
        (f64.add
          (f64.div (f64.mul (local.get $sl) (local.get $sl)) (local.get $wl))
          (f64.div
            (f64.mul (f64.sub (local.get $S) (local.get $sl)) (f64.sub (local.get $S) (local.get $sl)))
            (f64.sub (local.get $W) (local.get $wl))))
        (local.get $parent)))
      (if (f64.gt (local.get $g) (global.get $best))
        (then
          (global.set $best (local.get $g))
          (call $set_split (local.get $ws) (local.get $f) (local.get $b) (i32.const 0)
            (local.get $g) (local.get $wl) (local.get $sl) (local.get $nl))))
      (br $next))))

  ;; scanCategories: categories by mean target (insertion, ties keep bin order), then scanned.
  (func $scan_categories (param $ws i32) (param $cb i32) (param $tb i32) (param $count i32) (param $f i32)
    (param $W f64) (param $S f64) (param $minLeaf f64)
    (local $j i32) (local $b i32) (local $c i32) (local $i i32) (local $nc i32) (local $m f64)
    (local $bins i32) (local $means i32) (local $k i32) (local $bestK i32)
    (local $wl f64) (local $sl f64) (local $nl f64) (local $bw f64) (local $bs f64) (local $bn f64)
    (local $parent f64) (local $g f64) (local $cw f64) (local $left i32)
    (local.set $bins (i32.add (local.get $ws) (i32.const 5248)))
    (local.set $means (i32.add (local.get $ws) (i32.const 6272)))
    (block $sorted (loop $each
      (br_if $sorted (i32.ge_s (local.get $j) (local.get $count)))
      (local.set $b (i32.load (i32.add (local.get $tb) (i32.shl (local.get $j) (i32.const 2)))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (local.set $c (i32.add (local.get $cb) (i32.shl (local.get $b) (i32.const 4))))
      (local.set $cw (f64.load (local.get $c)))
      (br_if $each (i32.eqz (f64.gt (local.get $cw) (f64.const 0))))
      (local.set $m (f64.div (f64.load offset=8 (local.get $c)) (local.get $cw)))
      (local.set $i (i32.sub (local.get $nc) (i32.const 1)))
      (block $placed (loop $shift
        (br_if $placed (i32.lt_s (local.get $i) (i32.const 0)))
        (br_if $placed (i32.eqz (f64.gt
          (f64.load (i32.add (local.get $means) (i32.shl (local.get $i) (i32.const 3)))) (local.get $m))))
        (f64.store offset=8 (i32.add (local.get $means) (i32.shl (local.get $i) (i32.const 3)))
          (f64.load (i32.add (local.get $means) (i32.shl (local.get $i) (i32.const 3)))))
        (i32.store offset=4 (i32.add (local.get $bins) (i32.shl (local.get $i) (i32.const 2)))
          (i32.load (i32.add (local.get $bins) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (br $shift)))
      (f64.store offset=8 (i32.add (local.get $means) (i32.shl (local.get $i) (i32.const 3))) (local.get $m))
      (i32.store offset=4 (i32.add (local.get $bins) (i32.shl (local.get $i) (i32.const 2))) (local.get $b))
      (local.set $nc (i32.add (local.get $nc) (i32.const 1)))
      (br $each)))
    (if (i32.lt_s (local.get $nc) (i32.const 2)) (then (return)))
    (local.set $parent (f64.div (f64.mul (local.get $S) (local.get $S)) (local.get $W)))
    (local.set $bestK (i32.const -1))
    (local.set $k (i32.const 0))
    (block $done (loop $next
      (br_if $done (i32.ge_s (local.get $k) (i32.sub (local.get $nc) (i32.const 1))))
      (local.set $c (i32.add (local.get $cb)
        (i32.shl (i32.load (i32.add (local.get $bins) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 4))))
      (local.set $cw (f64.load (local.get $c)))
      (local.set $wl (f64.add (local.get $wl) (local.get $cw)))
      (local.set $sl (f64.add (local.get $sl) (f64.load offset=8 (local.get $c))))
      (local.set $nl (f64.add (local.get $nl) (local.get $cw)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $next (f64.lt (local.get $nl) (local.get $minLeaf)))
      (br_if $next (f64.lt (f64.sub (local.get $W) (local.get $nl)) (local.get $minLeaf)))
      ;; the gain of sending (wl, sl) left, in the reference's order of operations (written out: a call per
      ;; candidate cost 5% of a forest tree)
      (local.set $g (f64.sub
        (f64.add
          (f64.div (f64.mul (local.get $sl) (local.get $sl)) (local.get $wl))
          (f64.div
            (f64.mul (f64.sub (local.get $S) (local.get $sl)) (f64.sub (local.get $S) (local.get $sl)))
            (f64.sub (local.get $W) (local.get $wl))))
        (local.get $parent)))
      (if (f64.gt (local.get $g) (global.get $best))
        (then
          (global.set $best (local.get $g))
          ;; k was advanced above: the categories left are 0..k−1
          (local.set $bestK (local.get $k))
          (local.set $bw (local.get $wl))
          (local.set $bs (local.get $sl))
          (local.set $bn (local.get $nl))))
      (br $next)))
    (if (i32.lt_s (local.get $bestK) (i32.const 0)) (then (return)))
    (local.set $left (i32.add (local.get $ws) (i32.const 4144)))
    (v128.store (local.get $left) (v128.const i32x4 0 0 0 0))
    (v128.store offset=16 (local.get $left) (v128.const i32x4 0 0 0 0))
    (local.set $j (i32.const 0))
    (block $setDone (loop $setNext
      (br_if $setDone (i32.ge_s (local.get $j) (local.get $bestK)))
      (local.set $b (i32.load (i32.add (local.get $bins) (i32.shl (local.get $j) (i32.const 2)))))
      (local.set $c (i32.add (local.get $left) (i32.shl (i32.shr_u (local.get $b) (i32.const 5)) (i32.const 2))))
      (i32.store (local.get $c)
        (i32.or (i32.load (local.get $c)) (i32.shl (i32.const 1) (i32.and (local.get $b) (i32.const 31)))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $setNext)))
    (call $set_split (local.get $ws) (local.get $f) (i32.const 0) (i32.const 1)
      (global.get $best) (local.get $bw) (local.get $bs) (local.get $bn)))

  (func (export "small_find")
    (param $rows i32) (param $stats i32) (param $bins i32) (param $stride i32) (param $start i32)
    (param $end i32) (param $nf i32) (param $W f64) (param $S f64) (param $minLeaf f64) (param $minGain f64)
    (param $ws i32) (result i32)
    (local $k i32) (local $i i32) (local $w f64) (local $s f64) (local $at i32) (local $j i32)
    (local $b i32) (local $c i32) (local $nt i32) (local $cw f64) (local $p i32)
    (local $touched i32) (local $cells i32) (local $distinct i32) (local $f i32) (local $tb i32)
    (local $cb i32) (local $a i32) (local $v i32) (local $q i32) (local $nb i32) (local $count i32)
    (local $nConstant i32)
    (local.set $distinct (i32.add (local.get $ws) (i32.const 3072)))
    (local.set $touched (i32.add (local.get $ws) (i32.const 8320)))
    ;; cells follow the touched lists of `stride` features, 16-byte aligned
    (local.set $cells (i32.and
      (i32.add (i32.add (local.get $touched) (i32.mul (local.get $stride) (i32.const 1028))) (i32.const 15))
      (i32.const -16)))
    (memory.fill (local.get $distinct) (i32.const 0) (i32.shl (local.get $nf) (i32.const 2)))
    ;; The scatter: each row's weight and target once, then its bin of every listed feature.
    (local.set $k (local.get $start))
    (block $rowsDone (loop $row
      (br_if $rowsDone (i32.ge_u (local.get $k) (local.get $end)))
      (local.set $i (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))))
      (local.set $p (i32.add (local.get $stats) (i32.shl (local.get $i) (i32.const 3))))
      (local.set $w (f64.promote_f32 (f32.load (local.get $p))))
      (local.set $s (f64.promote_f32 (f32.load offset=4 (local.get $p))))
      (local.set $at (i32.add (local.get $bins) (i32.mul (local.get $i) (local.get $stride))))
      (local.set $j (i32.const 0))
      (block $featDone (loop $feat
        (br_if $featDone (i32.ge_u (local.get $j) (local.get $nf)))
        (local.set $b (i32.load8_u (i32.add (local.get $at)
          (i32.load (i32.add (local.get $ws) (i32.shl (local.get $j) (i32.const 2)))))))
        (local.set $c (i32.add (local.get $cells)
          (i32.add (i32.shl (local.get $j) (i32.const 12)) (i32.shl (local.get $b) (i32.const 4)))))
        (local.set $p (i32.add (local.get $distinct) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $nt (i32.load (local.get $p)))
        (i32.store (i32.add (local.get $touched)
          (i32.shl (i32.add (i32.mul (local.get $j) (i32.const 257)) (local.get $nt)) (i32.const 2)))
          (local.get $b))
        (local.set $cw (f64.load (local.get $c)))
        (i32.store (local.get $p) (i32.add (local.get $nt) (f64.eq (local.get $cw) (f64.const 0))))
        (f64.store (local.get $c) (f64.add (local.get $cw) (local.get $w)))
        (f64.store offset=8 (local.get $c) (f64.add (f64.load offset=8 (local.get $c)) (local.get $s)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $feat)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $row)))
    (global.set $best (local.get $minGain))
    (global.set $found (i32.const 0))
    (local.set $j (i32.const 0))
    (block $scansDone (loop $scan
      (br_if $scansDone (i32.ge_u (local.get $j) (local.get $nf)))
      (local.set $f (i32.load (i32.add (local.get $ws) (i32.shl (local.get $j) (i32.const 2)))))
      (local.set $nt (i32.load (i32.add (local.get $distinct) (i32.shl (local.get $j) (i32.const 2)))))
      (local.set $cb (i32.add (local.get $cells) (i32.shl (local.get $j) (i32.const 12))))
      (local.set $tb (i32.add (local.get $touched) (i32.mul (local.get $j) (i32.const 1028))))
      (if (i32.lt_s (local.get $nt) (i32.const 2))
        (then
          (i32.store (i32.add (i32.add (local.get $ws) (i32.const 4224)) (i32.shl (local.get $nConstant) (i32.const 2)))
            (local.get $f))
          (local.set $nConstant (i32.add (local.get $nConstant) (i32.const 1))))
        (else
          ;; insertion sort of the touched bins (few in a small node)
          (local.set $a (i32.const 1))
          (block $sortDone (loop $sortNext
            (br_if $sortDone (i32.ge_s (local.get $a) (local.get $nt)))
            (local.set $v (i32.load (i32.add (local.get $tb) (i32.shl (local.get $a) (i32.const 2)))))
            (local.set $q (i32.sub (local.get $a) (i32.const 1)))
            (block $placed (loop $shift
              (br_if $placed (i32.lt_s (local.get $q) (i32.const 0)))
              (br_if $placed (i32.le_s
                (i32.load (i32.add (local.get $tb) (i32.shl (local.get $q) (i32.const 2)))) (local.get $v)))
              (i32.store offset=4 (i32.add (local.get $tb) (i32.shl (local.get $q) (i32.const 2)))
                (i32.load (i32.add (local.get $tb) (i32.shl (local.get $q) (i32.const 2)))))
              (local.set $q (i32.sub (local.get $q) (i32.const 1)))
              (br $shift)))
            (i32.store offset=4 (i32.add (local.get $tb) (i32.shl (local.get $q) (i32.const 2))) (local.get $v))
            (local.set $a (i32.add (local.get $a) (i32.const 1)))
            (br $sortNext)))
          (local.set $nb (i32.load offset=1024 (i32.add (local.get $ws) (i32.shl (local.get $f) (i32.const 2)))))
          ;; the missing bin is never scanned
          (local.set $count (local.get $nt))
          (if (i32.eq (i32.load (i32.add (local.get $tb) (i32.shl (i32.sub (local.get $nt) (i32.const 1)) (i32.const 2))))
                (local.get $nb))
            (then (local.set $count (i32.sub (local.get $nt) (i32.const 1)))))
          (if (i32.load offset=2048 (i32.add (local.get $ws) (i32.shl (local.get $f) (i32.const 2))))
            (then (call $scan_categories (local.get $ws) (local.get $cb) (local.get $tb) (local.get $count)
              (local.get $f) (local.get $W) (local.get $S) (local.get $minLeaf)))
            (else (call $scan_numeric (local.get $ws) (local.get $cb) (local.get $tb) (local.get $count)
              (local.get $f) (local.get $nb) (local.get $W) (local.get $S) (local.get $minLeaf))))))
      ;; clear the cells this feature touched
      (local.set $a (i32.const 0))
      (block $clearDone (loop $clear
        (br_if $clearDone (i32.ge_s (local.get $a) (local.get $nt)))
        (v128.store (i32.add (local.get $cb)
          (i32.shl (i32.load (i32.add (local.get $tb) (i32.shl (local.get $a) (i32.const 2)))) (i32.const 4)))
          (v128.const i32x4 0 0 0 0))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $clear)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $scan)))
    (i32.store offset=4108 (local.get $ws) (local.get $nConstant))
    (global.get $found))
  (func (export "small_partition")
    (param $rows i32) (param $bins i32) (param $stride i32) (param $start i32) (param $end i32)
    (param $feature i32) (param $threshold i32) (param $set i32) (param $scratch i32) (result i32)
    (local $k i32) (local $i i32) (local $b i32) (local $left i32) (local $l i32) (local $n i32) (local $col i32)
    (local.set $col (i32.add (local.get $bins) (local.get $feature)))
    (local.set $l (local.get $start))
    (local.set $k (local.get $start))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
      (local.set $i (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))))
      (local.set $b (i32.load8_u (i32.add (local.get $col) (i32.mul (local.get $i) (local.get $stride)))))
      (local.set $left
        (if (result i32) (local.get $set)
          (then (i32.and (i32.shr_u
            (i32.load (i32.add (local.get $set) (i32.shl (i32.shr_u (local.get $b) (i32.const 5)) (i32.const 2))))
            (local.get $b)) (i32.const 1)))
          (else (i32.le_u (local.get $b) (local.get $threshold)))))
      (i32.store (i32.add (local.get $rows) (i32.shl (local.get $l) (i32.const 2))) (local.get $i))
      (i32.store (i32.add (local.get $scratch) (i32.shl (local.get $n) (i32.const 2))) (local.get $i))
      (local.set $l (i32.add (local.get $l) (local.get $left)))
      (local.set $n (i32.add (local.get $n) (i32.xor (local.get $left) (i32.const 1))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $next)))
    (memory.copy (i32.add (local.get $rows) (i32.shl (local.get $l) (i32.const 2))) (local.get $scratch)
      (i32.shl (local.get $n) (i32.const 2)))
    (local.get $l))
  (func (export "dense_find")
    (param $h i32) (param $nf i32) (param $W f64) (param $S f64) (param $minLeaf f64) (param $minGain f64)
    (param $ws i32) (param $offs i32) (param $identity i32) (result i32)
    (local $j i32) (local $f i32) (local $nb i32) (local $cb i32) (local $c i32) (local $cend i32)
    (local $seen i32) (local $nConstant i32)
    (global.set $best (local.get $minGain))
    (global.set $found (i32.const 0))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $nf)))
      (local.set $f (i32.load (i32.add (local.get $ws) (i32.shl (local.get $j) (i32.const 2)))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (local.set $nb (i32.load offset=1024 (i32.add (local.get $ws) (i32.shl (local.get $f) (i32.const 2)))))
      (local.set $cb (i32.add (local.get $h)
        (i32.load (i32.add (local.get $offs) (i32.shl (local.get $f) (i32.const 2))))))
      ;; constant: at most one of its nb + 1 cells (the missing one included) holds weight
      (local.set $seen (i32.const 0))
      (local.set $c (local.get $cb))
      (local.set $cend (i32.add (local.get $cb) (i32.shl (i32.add (local.get $nb) (i32.const 1)) (i32.const 4))))
      (block $varies (loop $cell
        (br_if $varies (i32.ge_u (local.get $c) (local.get $cend)))
        (local.set $seen (i32.add (local.get $seen) (f64.gt (f64.load (local.get $c)) (f64.const 0))))
        (br_if $varies (i32.gt_s (local.get $seen) (i32.const 1)))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $cell)))
      (if (i32.le_s (local.get $seen) (i32.const 1))
        (then
          (i32.store (i32.add (i32.add (local.get $ws) (i32.const 4224)) (i32.shl (local.get $nConstant) (i32.const 2)))
            (local.get $f))
          (local.set $nConstant (i32.add (local.get $nConstant) (i32.const 1)))
          (br $next)))
      (if (i32.load offset=2048 (i32.add (local.get $ws) (i32.shl (local.get $f) (i32.const 2))))
        (then (call $scan_categories (local.get $ws) (local.get $cb) (local.get $identity) (local.get $nb)
          (local.get $f) (local.get $W) (local.get $S) (local.get $minLeaf)))
        (else (call $scan_numeric (local.get $ws) (local.get $cb) (local.get $identity) (local.get $nb)
          (local.get $f) (local.get $nb) (local.get $W) (local.get $S) (local.get $minLeaf))))
      (br $next)))
    (i32.store offset=4108 (local.get $ws) (local.get $nConstant))
    (global.get $found))
  (func (export "gather")
    (param $rows i32) (param $stats i32) (param $bins i32) (param $stride i32) (param $start i32)
    (param $end i32) (param $localRows i32) (param $localStats i32) (param $localBins i32)
    (local $k i32) (local $i i32) (local $m i32) (local $src i32) (local $dst i32) (local $f i32)
    (local.set $m (i32.sub (local.get $end) (local.get $start)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $k) (local.get $m)))
      (local.set $i (i32.load (i32.add (local.get $rows)
        (i32.shl (i32.add (local.get $start) (local.get $k)) (i32.const 2)))))
      (i32.store (i32.add (local.get $localRows) (i32.shl (local.get $k) (i32.const 2))) (local.get $k))
      (i64.store (i32.add (local.get $localStats) (i32.shl (local.get $k) (i32.const 3)))
        (i64.load (i32.add (local.get $stats) (i32.shl (local.get $i) (i32.const 3)))))
      (local.set $src (i32.add (local.get $bins) (i32.mul (local.get $i) (local.get $stride))))
      (local.set $dst (i32.add (local.get $localBins) (i32.mul (local.get $k) (local.get $stride))))
      ;; the row's bins: 8 bytes at a time, then the rest byte by byte (never past the row)
      (local.set $f (i32.const 0))
      (block $wide (loop $eight
        (br_if $wide (i32.gt_u (i32.add (local.get $f) (i32.const 8)) (local.get $stride)))
        (i64.store (i32.add (local.get $dst) (local.get $f)) (i64.load (i32.add (local.get $src) (local.get $f))))
        (local.set $f (i32.add (local.get $f) (i32.const 8)))
        (br $eight)))
      (block $tail (loop $byte
        (br_if $tail (i32.ge_u (local.get $f) (local.get $stride)))
        (i32.store8 (i32.add (local.get $dst) (local.get $f)) (i32.load8_u (i32.add (local.get $src) (local.get $f))))
        (local.set $f (i32.add (local.get $f) (i32.const 1)))
        (br $byte)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $next))))
  (func (export "bootstrap")
    (param $y i32) (param $n i32) (param $state i32) (param $draws i32) (param $stats i32) (param $rows i32)
    (result i32)
    (local $k i32) (local $t i32) (local $p i32) (local $d i32) (local $full i32) (local $nf f64)
    (local $i i32) (local $in i32) (local $s i32) (local $w f64)
    (memory.fill (local.get $draws) (i32.const 0) (local.get $n))
    (local.set $nf (f64.convert_i32_u (local.get $n)))
    (block $drawn (loop $draw
      (br_if $drawn (i32.ge_u (local.get $k) (local.get $n)))
      (local.set $state (i32.add (local.get $state) (i32.const 0x6d2b79f5)))
      (local.set $t (i32.mul
        (i32.xor (local.get $state) (i32.shr_u (local.get $state) (i32.const 15)))
        (i32.or (local.get $state) (i32.const 1))))
      (local.set $t (i32.xor (local.get $t)
        (i32.add (local.get $t) (i32.mul
          (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 7)))
          (i32.or (local.get $t) (i32.const 61))))))
      ;; Math.floor(u / 2^32 × n) of the unsigned u: non-negative, so truncation is the floor
      (local.set $p (i32.add (local.get $draws) (i32.trunc_f64_u (f64.mul
        (f64.div
          (f64.convert_i32_u (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 14))))
          (f64.const 4294967296))
        (local.get $nf)))))
      (local.set $d (i32.load8_u (local.get $p)))
      (local.set $full (i32.or (local.get $full) (i32.eq (local.get $d) (i32.const 255))))
      (i32.store8 (local.get $p) (i32.add (local.get $d) (i32.const 1)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $draw)))
    (if (local.get $full) (then (return (i32.const -1))))
    (block $filled (loop $fill
      (br_if $filled (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $d (i32.load8_u (i32.add (local.get $draws) (local.get $i))))
      (local.set $w (f64.convert_i32_u (local.get $d)))
      (local.set $s (i32.add (local.get $stats) (i32.shl (local.get $i) (i32.const 3))))
      (f32.store (local.get $s) (f32.demote_f64 (local.get $w)))
      ;; an undrawn row's stats are (0, 0), as the reference writes them (0 × y could be −0)
      (f32.store offset=4 (local.get $s)
        (select
          (f32.demote_f64 (f64.mul (local.get $w) (f64.load (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3))))))
          (f32.const 0)
          (local.get $d)))
      ;; every row is written at the next slot; only a drawn one advances it (no branch to mispredict)
      (i32.store (i32.add (local.get $rows) (i32.shl (local.get $in) (i32.const 2))) (local.get $i))
      (local.set $in (i32.add (local.get $in) (i32.ne (local.get $d) (i32.const 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $fill)))
    (local.get $in))
  (func (export "subtract") (param $out i32) (param $a i32) (param $b i32) (param $bytes i32)
    (local $o i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $o) (local.get $bytes)))
      (v128.store (i32.add (local.get $out) (local.get $o))
        (f64x2.sub (v128.load (i32.add (local.get $a) (local.get $o))) (v128.load (i32.add (local.get $b) (local.get $o)))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $next))))
  (func (export "add_into") (param $out i32) (param $b i32) (param $bytes i32)
    (local $o i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $o) (local.get $bytes)))
      (v128.store (i32.add (local.get $out) (local.get $o))
        (f64x2.add (v128.load (i32.add (local.get $out) (local.get $o))) (v128.load (i32.add (local.get $b) (local.get $o)))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $next))))
)
