import { createRoot } from 'react-dom/client';
import './styles/app.css';
import { App } from './views/App';

createRoot(document.getElementById('root')!).render(<App />);
