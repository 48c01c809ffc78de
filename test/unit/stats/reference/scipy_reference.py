"""Reference values for test/unit/stats/*.test.ts, computed with scipy 1.10.1 / numpy 1.24
(Debian bookworm python3-scipy). Run: /usr/bin/python3 test/unit/stats/reference/scipy_reference.py"""
import numpy as np, scipy, json
from scipy import stats, special
from scipy.spatial.distance import jensenshannon
print("scipy", scipy.__version__)
r = {}
r['gammainc'] = [[a,x,special.gammainc(a,x),special.gammaincc(a,x)] for a,x in [(0.5,0.1),(0.5,2),(1,1),(2.5,3),(10,4),(10,25),(100,90),(0.5,400),(3,1e-3)]]
r['normsf'] = [[z, stats.norm.sf(z)] for z in [0,0.5,1,1.96,3,5,8,10,20,37]]
r['normcdf'] = [[z, stats.norm.cdf(z)] for z in [-37,-8,-1.5,0.3,2]]
r['chi2sf'] = [[x,df,stats.chi2.sf(x,df)] for x,df in [(3.84,1),(10,3),(50,23),(200,23),(1000,6),(0.5,2)]]
r['kolmogorov'] = [[l, special.kolmogorov(l)] for l in [0.2,0.5,0.8,1.0,1.36,2,3,5]]
a=[0.61,0.29,0.06,0.59,-1.73,-0.74,0.51,-0.56,0.39,1.64,0.05,-0.06,0.64,-0.82,0.37,1.77,1.09,-1.28,2.36,1.31,1.05,-0.32,-0.4,1.06,-2.47]
b=[2.2,1.66,1.38,0.2,0.36,0.0,0.96,1.56,0.44,1.5,-0.3,0.66,2.31,3.29,-0.27,-0.37,-0.52,-0.92,0.3,1.16,2.04,1.34]
r['ks_exact']=[stats.ks_2samp(a,b,method='exact').statistic, stats.ks_2samp(a,b,method='exact').pvalue]
c=[1,2,2,3,3,3,4,5,7,9]; d=[2,3,4,4,5,6,6,8,10,11,12,15]
r['ks_exact_ties']=[stats.ks_2samp(c,d,method='exact').statistic, stats.ks_2samp(c,d,method='exact').pvalue]
print(json.dumps(r, indent=0))
from scipy.spatial.distance import jensenshannon
r={}
u=[0,1,3,3,7,12,4,5,5,2]; v=[5,6,8,8,9,1,4,30]
r['wass']=stats.wasserstein_distance(u,v)
r['wass_norm']=stats.wasserstein_distance(u,v)/np.std(u)
r['wass_weighted']=stats.wasserstein_distance([1,2,3],[1,2,3,4],u_weights=[1,2,1],v_weights=[1,1,1,3])
p=[10,20,30,40]; q=[40,30,20,10]
r['jsd']=jensenshannon(p,q,base=2)
r['jsd_disjoint']=jensenshannon([1,0],[0,1],base=2)
r['jsd_partial']=jensenshannon([5,5,0],[3,3,4],base=2)
obs=np.array([[12,30,45,13],[20,25,30,25]])
c=stats.chi2_contingency(obs,correction=False)
r['chi2']=[c[0],c[1],int(c[2])]
ps=[0.01,0.04,0.03,0.005,0.5,0.2]
r['bh']=list(stats.false_discovery_control(ps,method='bh')) if hasattr(stats,'false_discovery_control') else None
# wilcoxon
x=[1.83,0.50,1.62,2.48,1.68,1.88,1.55,3.06,1.30,0.95,2.1,1.1]
y=[0.878,0.647,0.598,2.05,1.06,1.29,1.06,3.14,1.29,0.95,1.9,1.3]
w=stats.wilcoxon(x,y,zero_method='wilcox',correction=True,method='approx')
r['wilcoxon']=[w.statistic,w.pvalue]
x2=[3,5,5,6,8,9,9,9,12,4,4,7,2,2,10]; y2=[1,5,4,4,9,6,7,7,8,4,2,6,3,1,6]
w=stats.wilcoxon(x2,y2,zero_method='wilcox',correction=True,method='approx')
r['wilcoxon_ties']=[w.statistic,w.pvalue]
# PSI by hand (numpy) with decile edges of reference
print(json.dumps(r,indent=0))
x=[1.83,0.50,1.62,2.48,1.68,1.88,1.55,3.06,1.30,0.95,2.1,1.1]
y=[0.878,0.647,0.598,2.05,1.06,1.29,1.06,3.14,1.29,0.95,1.9,1.3]
w=stats.wilcoxon(x,y,zero_method='wilcox',correction=True,method='approx')
print('z', getattr(w,'zstatistic',None))
x2=[3,5,5,6,8,9,9,9,12,4,4,7,2,2,10]; y2=[1,5,4,4,9,6,7,7,8,4,2,6,3,1,6]
w=stats.wilcoxon(x2,y2,zero_method='wilcox',correction=True,method='approx')
print('z2', getattr(w,'zstatistic',None))
# BH by hand
p=np.array([0.01,0.04,0.03,0.005,0.5,0.2]); m=len(p); o=np.argsort(p)
adj=np.minimum.accumulate((p[o]*m/np.arange(1,m+1))[::-1])[::-1]; out=np.empty(m); out[o]=np.minimum(adj,1)
print('bh', list(out))
# PSI: reference 1..100, current shifted; bins = reference deciles (upper edges 10,20..90 with "<= edge")
ref=np.arange(1,101); cur=np.arange(21,121)
edges=[10,20,30,40,50,60,70,80,90]
def shares(a):
    idx=np.searchsorted(edges,a,side='left')  # bin k: (e_{k-1}, e_k]
    c=np.bincount(idx,minlength=len(edges)+1); return c/c.sum()
rs=shares(ref); cs=shares(cur)
rs=np.maximum(rs,1e-4); cs=np.maximum(cs,1e-4)
print('psi', float(np.sum((cs-rs)*np.log(cs/rs))), list(shares(cur)))
