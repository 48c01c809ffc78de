;; Boosting's kernels: histograms and row partitions.
;;
;; histogram_two_way — the histogram kernel (see histogram.ts's generated JavaScript loops for the same sums, the
;; reference): for rows[start..end) add each row's (weight, weight × residual) to its bin's cell of
;; every feature. A cell is two float64s, which one f64x2 load, add and store update (JavaScript
;; needs two of each, each with a bounds check); the row's float32 stats widen to float64 in one
;; instruction. Even and odd rows accumulate into two histograms, added at the end, for the reason
;; histogram.ts gives (neighbouring rows often share a bin, and each add waits for the last one).
;; The sums are those of histogram.ts's two-way loop, in the same order: identical to the last bit.
;; partition — partitionNode's stable branch-free partition (partition.ts, the reference), leaving
;; the left rows at rows[start..) and the right ones at scratch[start..) for the caller to place (two
;; threads partition the halves of a large node, then their four runs are copied into order).
;;
;; update_predictions — a boosting round's end (ensemble.ts fitBoosting, the reference): for the rows
;; at positions [a, b) of `rows`, each in one leaf of the table (start, end as i32 pairs, value f64),
;; pred[i] += value and the row's residual stat becomes y[i] − pred[i] (rounded to float32, as a
;; Float32Array store rounds). Two threads take half the positions each.
;;
;; `npm run build:kernel` assembles it (wabt) into histogram-kernel-wasm.ts.
;;
;; Layout (byte offsets in the shared linear memory, set by histogram-wasm.ts):
;;   h, g     two histograms of `bytes` bytes (16 a cell); the result is left in h
;;   bins     row-major bins, `stride` bytes a row;  rows  u32 row indices;  stats  f32 pairs by row
;;   offs     per feature, the byte offset of its first cell (16 × HistogramLayout.offsets[f])
;;   scratch  u32 × rows;  set  a category set's u32 words (bit b & 31 of word b >> 5), 0 for a threshold
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func (export "histogram_two_way")
    (param $h i32) (param $g i32) (param $bytes i32) (param $bins i32) (param $stride i32)
    (param $rows i32) (param $stats i32) (param $start i32) (param $end i32) (param $offs i32)
    (local $k i32) (local $i i32) (local $j i32) (local $vi v128) (local $vj v128)
    (local $bi i32) (local $bj i32) (local $f i32) (local $o i32) (local $p i32) (local $q i32)
    (local $pend i32)
    (memory.fill (local.get $h) (i32.const 0) (local.get $bytes))
    (memory.fill (local.get $g) (i32.const 0) (local.get $bytes))
    (local.set $k (local.get $start))
    ;; pairs of rows: row k into h, row k + 1 into g
    (block $d0 (loop $l0
      (br_if $d0 (i32.ge_u (i32.add (local.get $k) (i32.const 1)) (local.get $end)))
      (local.set $p (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2))))
      (local.set $i (i32.load (local.get $p)))
      (local.set $j (i32.load offset=4 (local.get $p)))
      (local.set $vi (f64x2.promote_low_f32x4
        (v128.load64_zero (i32.add (local.get $stats) (i32.shl (local.get $i) (i32.const 3))))))
      (local.set $vj (f64x2.promote_low_f32x4
        (v128.load64_zero (i32.add (local.get $stats) (i32.shl (local.get $j) (i32.const 3))))))
      (local.set $bi (i32.add (local.get $bins) (i32.mul (local.get $i) (local.get $stride))))
      (local.set $bj (i32.add (local.get $bins) (i32.mul (local.get $j) (local.get $stride))))
      (local.set $f (i32.const 0))
      (block $d1 (loop $l1
        (br_if $d1 (i32.ge_u (local.get $f) (local.get $stride)))
        (local.set $o (i32.load (i32.add (local.get $offs) (i32.shl (local.get $f) (i32.const 2)))))
        (local.set $p (i32.add (i32.add (local.get $h) (local.get $o))
          (i32.shl (i32.load8_u (i32.add (local.get $bi) (local.get $f))) (i32.const 4))))
        (v128.store (local.get $p) (f64x2.add (v128.load (local.get $p)) (local.get $vi)))
        (local.set $q (i32.add (i32.add (local.get $g) (local.get $o))
          (i32.shl (i32.load8_u (i32.add (local.get $bj) (local.get $f))) (i32.const 4))))
        (v128.store (local.get $q) (f64x2.add (v128.load (local.get $q)) (local.get $vj)))
        (local.set $f (i32.add (local.get $f) (i32.const 1)))
        (br $l1)))
      (local.set $k (i32.add (local.get $k) (i32.const 2)))
      (br $l0)))
    ;; an odd row left over goes into h
    (if (i32.lt_u (local.get $k) (local.get $end)) (then
      (local.set $i (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))))
      (local.set $vi (f64x2.promote_low_f32x4
        (v128.load64_zero (i32.add (local.get $stats) (i32.shl (local.get $i) (i32.const 3))))))
      (local.set $bi (i32.add (local.get $bins) (i32.mul (local.get $i) (local.get $stride))))
      (local.set $f (i32.const 0))
      (block $d2 (loop $l2
        (br_if $d2 (i32.ge_u (local.get $f) (local.get $stride)))
        (local.set $p (i32.add (i32.add (local.get $h)
          (i32.load (i32.add (local.get $offs) (i32.shl (local.get $f) (i32.const 2)))))
          (i32.shl (i32.load8_u (i32.add (local.get $bi) (local.get $f))) (i32.const 4))))
        (v128.store (local.get $p) (f64x2.add (v128.load (local.get $p)) (local.get $vi)))
        (local.set $f (i32.add (local.get $f) (i32.const 1)))
        (br $l2)))))
    ;; h += g
    (local.set $p (local.get $h))
    (local.set $q (local.get $g))
    (local.set $pend (i32.add (local.get $h) (local.get $bytes)))
    (block $d3 (loop $l3
      (br_if $d3 (i32.ge_u (local.get $p) (local.get $pend)))
      (v128.store (local.get $p) (f64x2.add (v128.load (local.get $p)) (v128.load (local.get $q))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $q (i32.add (local.get $q) (i32.const 16)))
      (br $l3))))
  (func (export "partition")
    (param $rows i32) (param $scratch i32) (param $col i32) (param $stride i32)
    (param $start i32) (param $end i32) (param $threshold i32) (param $set i32) (result i32)
    (local $k i32) (local $l i32) (local $n i32) (local $i i32) (local $b i32) (local $left i32)
    (local $p i32)
    (local.set $l (local.get $start))
    (local.set $n (local.get $start))
    (local.set $k (local.get $start))
    (block $d0 (loop $l0
      (br_if $d0 (i32.ge_u (local.get $k) (local.get $end)))
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
      (br $l0)))
    (i32.sub (local.get $l) (local.get $start)))
  (func (export "update_predictions")
    (param $ranges i32) (param $values i32) (param $nLeaves i32) (param $a i32) (param $b i32)
    (param $rows i32) (param $pred i32) (param $y i32) (param $stats i32)
    (local $j i32) (local $k i32) (local $e i32) (local $v f64) (local $i i32) (local $p i32)
    (local $q f64)
    (block $d0 (loop $l0
      (br_if $d0 (i32.ge_u (local.get $j) (local.get $nLeaves)))
      ;; this leaf's positions within [a, b)
      (local.set $p (i32.add (local.get $ranges) (i32.shl (local.get $j) (i32.const 3))))
      (local.set $k (i32.load (local.get $p)))
      (if (i32.lt_u (local.get $k) (local.get $a)) (then (local.set $k (local.get $a))))
      (local.set $e (i32.load offset=4 (local.get $p)))
      (if (i32.gt_u (local.get $e) (local.get $b)) (then (local.set $e (local.get $b))))
      (local.set $v (f64.load (i32.add (local.get $values) (i32.shl (local.get $j) (i32.const 3)))))
      (block $d1 (loop $l1
        (br_if $d1 (i32.ge_u (local.get $k) (local.get $e)))
        (local.set $i (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $p (i32.add (local.get $pred) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $q (f64.add (f64.load (local.get $p)) (local.get $v)))
        (f64.store (local.get $p) (local.get $q))
        (f32.store offset=4 (i32.add (local.get $stats) (i32.shl (local.get $i) (i32.const 3)))
          (f32.demote_f64 (f64.sub
            (f64.load (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3)))) (local.get $q))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $l1)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $l0)))))
