import '@backstage/cli/asset-types';
// Backstage's CSS baseline (fonts, box sizing, body margin) since @backstage/theme 0.7.
import '@backstage/ui/css/styles.css';
import ReactDOM from 'react-dom/client';
import App from './App';

ReactDOM.createRoot(document.getElementById('root')!).render(<App />);
